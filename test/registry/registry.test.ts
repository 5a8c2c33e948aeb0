import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Labels } from '../../src/model/labels.ts';
import { Registry, RegistryError } from '../../src/registry/index.ts';

describe('registry: declaring families', () => {
  it('returns the existing family for an identical definition (idempotent)', () => {
    const r = new Registry();
    const a = r.counter({ name: 'x_total', help: 'X.', labelNames: ['a', 'b'] });
    const b = r.counter({ name: 'x_total', help: 'X.', labelNames: ['a', 'b'] });
    assert.equal(a, b);
    const h1 = r.histogram({ name: 'h', help: '', buckets: [1, 2] });
    assert.equal(r.histogram({ name: 'h', help: '', buckets: [1, 2] }), h1);
    const s1 = r.summary({ name: 's', help: '', quantiles: [0.5] });
    assert.equal(r.summary({ name: 's', help: '', quantiles: [{ quantile: 0.5, error: 0.05 }] }), s1);
  });

  it('throws on the same name with a different definition, naming both', () => {
    const r = new Registry();
    r.counter({ name: 'x_total', help: 'X.', labelNames: ['a'] });
    assert.throws(
      () => r.gauge({ name: 'x_total', help: 'X.', labelNames: ['a'] }),
      /already registered.*counter/,
    );
    assert.throws(() => r.counter({ name: 'x_total', help: 'other', labelNames: ['a'] }), RegistryError);
    assert.throws(() => r.counter({ name: 'x_total', help: 'X.', labelNames: ['b'] }), RegistryError);
    r.histogram({ name: 'h', help: '' });
    assert.throws(() => r.histogram({ name: 'h', help: '', buckets: [1] }), RegistryError);
  });

  it('refuses families whose samples would collide', () => {
    const r = new Registry();
    r.histogram({ name: 'req', help: '' });
    assert.throws(
      () => r.gauge({ name: 'req_count', help: '' }),
      /both would write samples named "req_count"/,
    );
    assert.throws(() => r.counter({ name: 'req_bucket', help: '' }), RegistryError);
    r.counter({ name: 'jobs_total', help: '' });
    assert.throws(() => r.gauge({ name: 'jobs', help: '' }), RegistryError);
  });

  it('validates names and label names', () => {
    const r = new Registry();
    assert.throws(() => r.counter({ name: 'bad-name', help: '' }), /invalid metric name/);
    assert.throws(() => r.counter({ name: '', help: '' }), /invalid metric name/);
    assert.throws(() => r.counter({ name: 'ok', help: '', labelNames: ['bad-label'] }), /invalid label name/);
    assert.throws(() => r.counter({ name: 'ok', help: '', labelNames: ['__x'] }), /reserved/);
    assert.throws(() => r.counter({ name: 'ok', help: '', labelNames: ['a', 'a'] }), /duplicate label/);
    assert.throws(
      () => r.histogram({ name: 'ok', help: '', labelNames: ['le'] }),
      /not allowed on a histogram/,
    );
    assert.throws(
      () => r.summary({ name: 'ok', help: '', labelNames: ['quantile'] }),
      /not allowed on a summary/,
    );
    // `le` is fine on a summary, `quantile` on a histogram.
    r.summary({ name: 's1', help: '', labelNames: ['le'] });
    r.histogram({ name: 'h1', help: '', labelNames: ['quantile'] });
    const utf8 = new Registry({ nameValidation: 'utf8' });
    utf8.gauge({ name: 'temp.celsius', help: '', labelNames: ['room.name'] });
  });

  it('checks that a unit is a suffix of the name', () => {
    const r = new Registry();
    r.gauge({ name: 'size_bytes', help: '', unit: 'bytes' });
    r.counter({ name: 'io_bytes_total', help: '', unit: 'bytes' });
    assert.throws(() => r.gauge({ name: 'size', help: '', unit: 'bytes' }), /must end with "_bytes"/);
    const [f] = r.collect().filter((x) => x.name === 'size_bytes');
    assert.equal(f.unit, 'bytes');
  });
});

describe('registry: children', () => {
  it('takes label values by name or by position, and they are the same child', () => {
    const r = new Registry();
    const f = r.gauge({ name: 'g', help: '', labelNames: ['b', 'a'] });
    const c1 = f.labels({ a: '1', b: '2' });
    const c2 = f.labels('2', '1');
    assert.equal(c1, c2);
    assert.equal(f.tryLabels(['2', '1']), c1);
    assert.equal(f.getChild({ b: '2', a: '1' }), c1);
    assert.equal(f.size, 1);
  });

  it('requires exactly the declared labels', () => {
    const f = new Registry().gauge({ name: 'g', help: '', labelNames: ['a', 'b'] });
    assert.throws(() => f.labels({ a: '1' }), /missing label "b"/);
    assert.throws(() => f.labels({ a: '1', b: '2', c: '3' }), /unknown label\(s\) "c"/);
    assert.throws(() => f.labels('1'), /expected 2 label values/);
    assert.throws(() => f.labels({ a: '1', b: 2 as unknown as string }), /must be a string/);
    assert.throws(() => f.labels('1', '\ud800'), /not valid Unicode/);
    assert.equal(f.size, 0);
  });

  it('keeps one Labels instance per child for its lifetime', () => {
    const r = new Registry();
    const f = r.counter({ name: 'c', help: '', labelNames: ['z', 'a'] });
    f.labels('1', '2').inc();
    const first = r.collect()[0].metrics[0].labels;
    f.labels('1', '2').inc();
    const second = r.collect()[0].metrics[0].labels;
    assert.equal(first, second);
    assert.ok(first instanceof Labels);
    assert.deepEqual(first.pairs, [
      { name: 'a', value: '2' },
      { name: 'z', value: '1' },
    ]);
  });

  it('leaves empty label values out of the label set (Prometheus semantics) but keeps the child distinct', () => {
    const f = new Registry().counter({ name: 'c', help: '', labelNames: ['a', 'b'] });
    const child = f.labels('', 'x');
    assert.deepEqual(child.labels.pairs, [{ name: 'b', value: 'x' }]);
    assert.notEqual(f.labels('x', ''), child);
  });

  it('keys are exact even when values contain the separator characters', () => {
    const f = new Registry().counter({ name: 'c', help: '', labelNames: ['a', 'b'] });
    const pairs = [
      ['x\xffy', 'z'],
      ['x', 'y\xffz'],
      ['x\xfe', '\x01'],
      ['x', '\xfe\x01'],
      ['x\xfe\x01', ''],
      ['\xff', '\xff'],
      ['', '\xff\xff'],
    ];
    const children = pairs.map(([a, b]) => f.labels(a, b));
    assert.equal(new Set(children).size, pairs.length);
    pairs.forEach(([a, b], i) => {
      assert.equal(f.labels(a, b), children[i]);
    });
  });

  it('remove, clear and unregister free series', () => {
    const r = new Registry();
    const f = r.counter({ name: 'c', help: '', labelNames: ['a'] });
    f.labels('1');
    f.labels('2');
    assert.equal(r.seriesCount, 2);
    assert.equal(f.remove(['1']), true);
    assert.equal(f.remove({ a: '1' }), false);
    assert.equal(r.seriesCount, 1);
    f.clear();
    assert.equal(r.seriesCount, 0);
    assert.deepEqual(r.collect(), []);
    f.labels('3');
    assert.equal(r.unregister('c'), true);
    assert.equal(r.unregister('c'), false);
    assert.equal(r.seriesCount, 0);
    assert.equal(r.get('c'), undefined);
    // The old handle no longer adds series; the name can be declared again, even differently.
    assert.equal(f.tryLabels(['4']), undefined);
    assert.equal(r.seriesCount, 0);
    r.gauge({ name: 'c', help: '' });
  });
});

describe('registry: collect', () => {
  it('returns families sorted by name and metrics in label order, omitting empty families', () => {
    const r = new Registry();
    const b = r.gauge({ name: 'b', help: '', labelNames: ['x', 'y'] });
    r.counter({ name: 'a_total', help: '', labelNames: ['k'] }); // no children: left out
    r.gauge({ name: 'c', help: '' }); // no labels: one series at 0 from the start
    b.labels('2', 'a').set(1);
    b.labels('1', 'b').set(2);
    b.labels('1', 'a').set(3);
    const out = r.collect();
    assert.deepEqual(
      out.map((f) => f.name),
      ['b', 'c'],
    );
    assert.deepEqual(
      out[0].metrics.map((m) => m.value),
      [3, 2, 1],
    );
    assert.equal(out[1].metrics[0].value, 0);
  });

  it('includes registered collectors, sorted in, own families winning a name clash', () => {
    const r = new Registry();
    r.gauge({ name: 'm', help: 'mine' });
    const extra = {
      collect: () => [
        {
          name: 'a',
          type: 'gauge' as const,
          help: '',
          unit: '',
          metrics: [{ labels: Labels.EMPTY, value: 1 }],
        },
        {
          name: 'm',
          type: 'gauge' as const,
          help: 'theirs',
          unit: '',
          metrics: [{ labels: Labels.EMPTY, value: 1 }],
        },
      ],
    };
    r.registerCollector(extra);
    const out = r.collect();
    assert.deepEqual(
      out.map((f) => [f.name, f.help]),
      [
        ['a', ''],
        ['m', 'mine'],
      ],
    );
    assert.equal(r.unregisterCollector(extra), true);
    assert.equal(r.collect().length, 1);
  });
});
