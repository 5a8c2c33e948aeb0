import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Registry } from '../../src/registry/index.ts';

describe('counter', () => {
  it('starts at 0, increments by 1 or an amount, refuses negative and NaN increments', () => {
    const r = new Registry();
    const c = r.counter({ name: 'jobs_total', help: 'Jobs.', labelNames: ['queue'] }).labels('mail');
    assert.equal(c.value, 0);
    c.inc();
    c.inc(2.5);
    c.inc(0);
    assert.equal(c.value, 3.5);
    assert.throws(() => c.inc(-1), RangeError);
    assert.throws(() => c.inc(Number.NaN), RangeError);
    assert.equal(c.value, 3.5);
  });

  it('collects value and, when asked for, the created timestamp from the injected clock', () => {
    const r = new Registry({ now: () => 1_700_000_000_000, createdTimestamps: true });
    r.counter({ name: 'a_total', help: 'h' }).labels().inc(4);
    const [f] = r.collect();
    assert.equal(f.type, 'counter');
    assert.equal(f.metrics[0].value, 4);
    assert.equal(f.metrics[0].createdMs, 1_700_000_000_000);
  });

  it('leaves created timestamps out by default, as client_golang does', () => {
    const r = new Registry({ now: () => 1_700_000_000_000 });
    r.counter({ name: 'a_total', help: 'h' }).labels().inc(4);
    r.histogram({ name: 'h_seconds', help: 'h' }).labels().observe(1);
    r.summary({ name: 's_bytes', help: 'h' }).labels().observe(1);
    for (const f of r.collect()) assert.equal(f.metrics[0].createdMs, undefined, f.name);
  });
});

describe('gauge', () => {
  it('sets, increments, decrements', () => {
    const r = new Registry();
    const g = r.gauge({ name: 'temp', help: 'h', labelNames: ['room'] }).labels({ room: 'a' });
    g.inc();
    g.inc(2);
    g.dec(0.5);
    assert.equal(g.value, 2.5);
    g.set(-7);
    assert.equal(g.value, -7);
    g.dec();
    assert.equal(g.value, -8);
    g.setToCurrentTime(1500);
    assert.equal(g.value, 1.5);
  });
});

describe('untyped', () => {
  it('is rendered as untyped with its value', () => {
    const r = new Registry();
    const u = r.untyped({ name: 'thing', help: 'h' }).labels();
    u.set(3);
    u.inc();
    u.dec(2);
    const [f] = r.collect();
    assert.deepEqual([f.type, f.metrics[0].value], ['untyped', 2]);
  });
});
