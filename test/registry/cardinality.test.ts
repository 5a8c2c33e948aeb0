import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { Registry, RegistryError, SeriesBudget } from '../../src/registry/index.ts';

describe('cardinality limits', () => {
  it('refuses new children beyond the family limit, counts the drop, returns a no-op child', () => {
    const r = new Registry({ maxSeriesPerFamily: 2 });
    const f = r.counter({ name: 'c', help: '', labelNames: ['id'] });
    f.labels('a').inc();
    f.labels('b').inc();
    const noop = f.labels('c');
    noop.inc(5); // goes nowhere
    assert.equal(f.tryLabels(['d']), undefined);
    assert.equal(f.size, 2);
    assert.equal(f.droppedSeries, 2);
    assert.equal(r.droppedSeries, 2);
    assert.deepEqual(
      r.collect()[0].metrics.map((m) => m.value),
      [1, 1],
    );
    // Existing children keep working; freeing one makes room.
    f.labels('a').inc();
    f.remove(['b']);
    assert.notEqual(f.tryLabels(['d']), undefined);
  });

  it('a family can set its own limit', () => {
    const r = new Registry({ maxSeriesPerFamily: 100 });
    const f = r.gauge({ name: 'g', help: '', labelNames: ['id'], maxSeries: 1 });
    f.labels('a');
    assert.equal(f.tryLabels(['b']), undefined);
    assert.throws(() => r.gauge({ name: 'g2', help: '', maxSeries: 0 }), RegistryError);
  });

  it('the registry-wide limit spans families', () => {
    const r = new Registry({ maxSeries: 3 });
    const a = r.counter({ name: 'a', help: '', labelNames: ['id'] });
    const b = r.counter({ name: 'b', help: '', labelNames: ['id'] });
    a.labels('1');
    a.labels('2');
    b.labels('1');
    assert.equal(b.tryLabels(['2']), undefined);
    assert.equal(a.tryLabels(['3']), undefined);
    assert.equal(r.seriesCount, 3);
    assert.equal(r.droppedSeries, 2);
    a.clear();
    assert.notEqual(b.tryLabels(['2']), undefined);
  });

  it('never holds more series than the limits, and counts every refusal (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 20 }),
        fc.integer({ min: 1, max: 10 }),
        fc.array(
          fc.record({
            family: fc.integer({ min: 0, max: 2 }),
            id: fc.integer({ min: 0, max: 30 }),
            remove: fc.boolean(),
          }),
          { maxLength: 300 },
        ),
        (maxSeries, perFamily, ops) => {
          const r = new Registry({ maxSeries, maxSeriesPerFamily: perFamily });
          const fams = [0, 1, 2].map((i) => r.counter({ name: `f${i}`, help: '', labelNames: ['id'] }));
          const live = [new Set<number>(), new Set<number>(), new Set<number>()];
          let dropped = 0;
          for (const op of ops) {
            const f = fams[op.family];
            const set = live[op.family];
            if (op.remove) {
              assert.equal(f.remove([String(op.id)]), set.delete(op.id));
              continue;
            }
            const total = live.reduce((n, s) => n + s.size, 0);
            const fits = set.has(op.id) || (set.size < perFamily && total < maxSeries);
            const child = f.tryLabels([String(op.id)]);
            assert.equal(child !== undefined, fits);
            if (fits) set.add(op.id);
            else dropped++;
            assert.ok(r.seriesCount <= maxSeries);
            assert.ok(f.size <= perFamily);
          }
          assert.equal(r.droppedSeries, dropped);
          assert.equal(
            r.seriesCount,
            live.reduce((n, s) => n + s.size, 0),
          );
        },
      ),
    );
  });
});

describe('shared overall budget', () => {
  it('limits the series of several registries together, each counting its own', () => {
    const overall = new SeriesBudget(3);
    const a = new Registry({ sharedBudget: overall });
    const b = new Registry({ sharedBudget: overall });
    const ga = a.gauge({ name: 'a', help: 'h', labelNames: ['k'] });
    const gb = b.gauge({ name: 'b', help: 'h', labelNames: ['k'] });
    assert.ok(ga.tryLabels({ k: '1' }));
    assert.ok(ga.tryLabels({ k: '2' }));
    assert.ok(gb.tryLabels({ k: '1' }));
    assert.equal(gb.tryLabels({ k: '2' }), undefined, 'the fourth series overall is refused');
    assert.equal(a.seriesCount, 2);
    assert.equal(b.seriesCount, 1);
    assert.equal(b.droppedSeries, 1);
    assert.equal(overall.series, 3);
    ga.remove({ k: '1' });
    assert.ok(gb.tryLabels({ k: '2' }), 'a removed series frees room for another registry');
  });
});
