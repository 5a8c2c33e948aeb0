import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { Labels } from '../../../src/model/labels.ts';
import { hiBits, loBits } from '../../../src/tsdb/chunk/float-bits.ts';
import {
  encodeMetadata,
  encodeSamples,
  encodeSeries,
  encodeTombstones,
  Wal,
  type WalMetadata,
} from '../../../src/tsdb/wal/index.ts';
import { collector, type Event, memoryLogger, withDir } from './helpers.ts';

const keepOdd = (ref: number) => ref % 2 === 1;

/** Logs a small history in many segments; returns its events in log order. */
function writeHistory(wal: Wal, from: number, to: number): Event[] {
  const events: Event[] = [];
  for (let t = from; t < to; t++) {
    const ref = (t % 6) + 1;
    const records: Uint8Array[] = [];
    if (t < from + 6) {
      const labels = Labels.from({ __name__: 'm', i: String(ref) });
      records.push(encodeSeries([{ ref, labels }]));
      events.push(['series', ref, labels.key]);
    }
    records.push(encodeSamples([ref, ref], [t, t + 1000], new Float64Array([t, -t]), 2));
    events.push(['sample', ref, t, hiBits(t), loBits(t)], ['sample', ref, t + 1000, hiBits(-t), loBits(-t)]);
    if (t % 10 === 0) {
      records.push(encodeTombstones([{ ref, minT: t, maxT: t + 1 }]));
      events.push(['tombstone', ref, t, t + 1]);
    }
    if (t % 7 === 0) {
      const m: WalMetadata = { metricFamily: `f${t % 3}`, type: 'gauge', help: `at ${t}`, unit: '' };
      records.push(encodeMetadata([m]));
      events.push(['metadata', m.metricFamily, m.type, m.help, m.unit]);
    }
    wal.log(records);
  }
  return events;
}

/** What a checkpoint of `events` must hold: kept entries in order, then the latest metadata per family. */
function expectCheckpoint(events: readonly Event[], minT: number): Event[] {
  const out: Event[] = [];
  const seen = new Set<number>();
  const meta = new Map<string, Event>();
  for (const e of events) {
    if (e[0] === 'metadata') meta.set(e[1], e);
    else if (!keepOdd(e[1])) continue;
    else if (e[0] === 'series') {
      if (!seen.has(e[1])) out.push(e);
      seen.add(e[1]);
    } else if (e[0] === 'tombstone' || e[2] >= minT) out.push(e);
  }
  return [...out, ...meta.values()];
}

function replay(dir: string) {
  const logger = memoryLogger();
  const wal = Wal.open(dir, { fsync: 'never', segmentBytes: 256, logger });
  const c = collector();
  const stats = wal.replay(c.visitor);
  return { wal, events: c.events, stats, logger };
}

/** The events held by segments ≤ `through`: replay a copy of the dir without the later ones. */
function eventsThrough(dir: string, through: number): Event[] {
  const copy = `${dir}-copy`;
  cpSync(dir, copy, { recursive: true });
  try {
    for (const name of readdirSync(copy)) if (Number(name) > through) rmSync(join(copy, name));
    const c = collector();
    Wal.open(copy, { fsync: 'never' }).replay(c.visitor);
    return c.events;
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
}

test('a checkpoint keeps live series and samples ≥ minT, deletes old segments, and replays first', async () => {
  await withDir(async (dir) => {
    const wal = Wal.open(dir, { fsync: 'never', segmentBytes: 256 });
    const before = writeHistory(wal, 0, 60);
    const range = wal.segmentRange()!;
    assert.ok(range.last > 5, `${range.last} segments`);
    const through = range.last - 2;
    const covered = eventsThrough(dir, through);
    assert.deepEqual(covered, before.slice(0, covered.length));
    const stats = wal.checkpoint(through, { keepSeries: keepOdd, minT: 30 })!;
    assert.equal(stats.checkpoint, through);
    assert.equal(stats.segmentsDeleted, through);
    assert.deepEqual(wal.segmentRange(), { first: through + 1, last: range.last });
    const after = writeHistory(wal, 60, 80);
    await wal.close();
    assert.ok(readdirSync(dir).includes(`checkpoint.${String(through).padStart(8, '0')}`));

    const all = [...before, ...after];
    const expected = [...expectCheckpoint(covered, 30), ...all.slice(covered.length)];
    const r = replay(dir);
    assert.equal(r.stats.checkpoint, through);
    assert.deepEqual(r.events, expected);
    await r.wal.close();

    // A second checkpoint folds in the first and deletes it.
    const again = Wal.open(dir, { fsync: 'never', segmentBytes: 256 });
    again.replay({});
    const last = again.segmentRange()!.last;
    again.checkpoint(last, { keepSeries: keepOdd, minT: 70 });
    await again.close();
    assert.deepEqual(
      readdirSync(dir).filter((n) => n.startsWith('checkpoint')),
      [`checkpoint.${String(last).padStart(8, '0')}`],
    );
    assert.equal(readdirSync(dir).length, 1, 'every segment was folded in');
    const final = replay(dir);
    assert.deepEqual(final.events, expectCheckpoint(expected, 70));
    await final.wal.close();
  });
});

test('a crash mid-checkpoint (leftover temp dir) is harmless', async () => {
  await withDir(async (dir) => {
    const wal = Wal.open(dir, { fsync: 'never', segmentBytes: 256 });
    const events = writeHistory(wal, 0, 20);
    await wal.close();
    const tmp = join(dir, 'checkpoint.00000002.tmp');
    mkdirSync(tmp);
    writeFileSync(join(tmp, '00000000'), 'half a checkpoint');
    const r = replay(dir);
    assert.equal(existsSync(tmp), false);
    assert.ok(r.logger.warnings().some((w) => w.msg.includes('interrupted checkpoint')));
    assert.deepEqual(r.events, events);
    await r.wal.close();
  });
});

test('segments a checkpoint covers are skipped even if their deletion was interrupted', async () => {
  await withDir(async (dir) => {
    const wal = Wal.open(dir, { fsync: 'never', segmentBytes: 256 });
    writeHistory(wal, 0, 20);
    await wal.close();
    const backup = `${dir}-backup`;
    cpSync(dir, backup, { recursive: true });
    const w2 = Wal.open(dir, { fsync: 'never', segmentBytes: 256 });
    const through = w2.segmentRange()!.last;
    w2.checkpoint(through, { keepSeries: () => true, minT: 0 });
    await w2.close();
    const clean = replay(dir);
    await clean.wal.close();
    cpSync(backup, dir, { recursive: true }); // the old segments are back
    const r = replay(dir);
    assert.deepEqual(r.events, clean.events);
    await r.wal.close();
    const next = Wal.open(dir, { fsync: 'never' });
    next.log([encodeSamples([1], [1], new Float64Array(1), 1)]);
    assert.equal(next.segmentRange()!.last, through + 1);
    await next.close();
    rmSync(backup, { recursive: true, force: true });
  });
});

test('checkpointing the active segment cuts a new one first; nothing new is a no-op', async () => {
  await withDir(async (dir) => {
    const wal = Wal.open(dir, { fsync: 'never' });
    wal.log([encodeSamples([1], [5], new Float64Array(1), 1)]);
    const stats = wal.checkpoint(1, { keepSeries: () => true, minT: 0 });
    assert.equal(stats?.samples, 1);
    assert.equal(wal.checkpoint(1, { keepSeries: () => true, minT: 0 }), null);
    wal.log([encodeSamples([1], [6], new Float64Array(1), 1)]);
    assert.deepEqual(wal.segmentRange(), { first: 2, last: 2 });
    await wal.close();
    const r = replay(dir);
    assert.deepEqual(
      r.events.map((e) => e[2]),
      [5, 6],
    );
    await r.wal.close();
  });
});
