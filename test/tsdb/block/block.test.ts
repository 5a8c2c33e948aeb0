import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import { Labels } from '../../../src/model/labels.ts';
import {
  Block,
  BlockCorruptError,
  BlockWriteError,
  type FileReader,
  listBlockDirs,
  newBlockId,
  openFileReader,
  removeTmpDirs,
  writeBlock,
} from '../../../src/tsdb/block/index.ts';
import { encodeChunk } from '../../../src/tsdb/chunk/encode.ts';
import { Matcher } from '../../../src/tsdb/index/matcher.ts';
import {
  anyMatcher,
  anyModel,
  assertSelect,
  bruteLabelNames,
  bruteLabelValues,
  expected,
  type ModelSeries,
  modelMaxT,
  NAMES,
  tempDir,
  toBlockSeries,
} from './helpers.ts';

function writeModel(
  dir: string,
  model: readonly ModelSeries[],
  chunkSize = 50,
  maxSegmentBytes?: number,
): Block {
  const maxT = modelMaxT(model);
  const meta = writeBlock(
    dir,
    { series: toBlockSeries(model, 0, maxT, chunkSize), minT: 0, maxT },
    { maxSegmentBytes },
  );
  return Block.open(path.join(dir, meta.id));
}

test('a written block reads back every sample bit for bit, over the full range and sub-ranges', (t) => {
  const dir = tempDir(t);
  fc.assert(
    fc.property(
      anyModel,
      fc.integer({ min: 1, max: 150 }),
      fc.constantFrom(undefined, 64, 1000),
      fc.array(fc.tuple(fc.nat({ max: 2_500_000 }), fc.nat({ max: 2_500_000 })), { maxLength: 5 }),
      (model, chunkSize, segmentBytes, ranges) => {
        const block = writeModel(dir, model, chunkSize, segmentBytes);
        try {
          const maxT = modelMaxT(model);
          assert.equal(block.meta.stats.numSeries, model.length);
          assert.equal(
            block.meta.stats.numSamples,
            model.reduce((n, s) => n + s.ts.length, 0),
          );
          assertSelect(block, [], 0, maxT, expected(model, [], 0, maxT));
          for (const [a, b] of ranges) {
            const [lo, hi] = a <= b ? [a, b] : [b, a];
            assertSelect(block, [], lo, hi, expected(model, [], lo, hi));
          }
        } finally {
          block.close();
        }
        // Reopening reads the same thing: nothing lives only in the writer's memory.
        const again = Block.open(block.dir);
        assertSelect(again, [], 0, modelMaxT(model), expected(model, [], 0, modelMaxT(model)));
        again.close();
      },
    ),
    { numRuns: 60 },
  );
});

test('matchers, label names and label values agree with a brute-force filter', (t) => {
  const dir = tempDir(t);
  fc.assert(
    fc.property(
      anyModel,
      fc.array(anyMatcher, { maxLength: 3 }),
      fc.constantFrom(...NAMES, 'absent'),
      (model, ms, name) => {
        const block = writeModel(dir, model);
        try {
          const maxT = modelMaxT(model);
          assertSelect(block, ms, 0, maxT, expected(model, ms, 0, maxT));
          assert.deepEqual(block.labelNames(ms), bruteLabelNames(model, ms));
          assert.deepEqual(block.labelValues(name, ms), bruteLabelValues(model, name, ms));
        } finally {
          block.close();
        }
      },
    ),
    { numRuns: 150 },
  );
});

test('deletes hide exactly the deleted samples, survive reopening, and merge ranges', (t) => {
  const dir = tempDir(t);
  fc.assert(
    fc.property(
      anyModel,
      fc.array(
        fc.tuple(
          fc.array(anyMatcher, { maxLength: 2 }),
          fc.nat({ max: 2_500_000 }),
          fc.nat({ max: 300_000 }),
        ),
        { minLength: 1, maxLength: 3 },
      ),
      (model, deletes) => {
        const block = writeModel(dir, model);
        let want = model;
        for (const [ms, from, len] of deletes) {
          block.delete(ms, from, from + len);
          want = want.map((s) => {
            if (!ms.every((m) => m.matches(s.labels.get(m.name)))) return s;
            const keep = [...s.ts.keys()].filter((i) => s.ts[i] < from || s.ts[i] > from + len);
            return {
              labels: s.labels,
              ts: Float64Array.from(keep, (i) => s.ts[i]),
              vs: Float64Array.from(keep, (i) => s.vs[i]),
            };
          });
        }
        const maxT = modelMaxT(model);
        assertSelect(block, [], 0, maxT, expected(want, [], 0, maxT));
        block.close();
        const again = Block.open(block.dir);
        assertSelect(again, [], 0, maxT, expected(want, [], 0, maxT));
        again.close();
      },
    ),
    { numRuns: 60 },
  );
});

test('chunk bytes are read only when chunk() is called, one read per chunk', (t) => {
  const dir = tempDir(t);
  const model: ModelSeries[] = [];
  for (let k = 0; k < 50; k++) {
    const ts = Float64Array.from({ length: 1000 }, (_, i) => i * 15_000);
    const vs = Float64Array.from({ length: 1000 }, (_, i) => Math.sin(i + k));
    model.push({ labels: Labels.from({ __name__: 'm', k: String(k).padStart(2, '0') }), ts, vs });
  }
  const maxT = modelMaxT(model);
  const meta = writeBlock(dir, { series: toBlockSeries(model, 0, maxT, 120), minT: 0, maxT });
  const reads: { file: string; bytes: number }[] = [];
  const counting = (file: string): FileReader => {
    const inner = openFileReader(file);
    return {
      size: inner.size,
      read(buf, position) {
        reads.push({
          file: path.basename(path.dirname(file)) === 'chunks' ? 'chunks' : 'index',
          bytes: buf.length,
        });
        return inner.read(buf, position);
      },
      close: () => inner.close(),
    };
  };
  const block = Block.open(path.join(dir, meta.id), { openFile: counting });
  const chunkReads = () => reads.filter((r) => r.file === 'chunks').length;
  const afterOpen = chunkReads(); // one header check per segment
  assert.equal(afterOpen, 1);
  const series = block.select([], 0, maxT);
  assert.equal(series.length, 50);
  assert.equal(chunkReads(), afterOpen, 'select reads no chunk bytes');
  const c = series[3].chunks[2].chunk();
  assert.equal(chunkReads(), afterOpen + 1);
  assert.equal(reads.at(-1)!.bytes, c.bytes().length + 1 + 4 + (c.bytes().length >= 128 ? 1 : 0));
  series[3].chunks[2].chunk();
  assert.equal(chunkReads(), afterOpen + 2, 'no cache: memory does not grow with chunks read');
  block.close();
});

test('open reads the symbols and label table, not the series entries or postings', (t) => {
  const dir = tempDir(t);
  const indexBytesReadAtOpen = (numSeries: number): { read: number; size: number } => {
    const model: ModelSeries[] = [];
    for (let k = 0; k < numSeries; k++)
      model.push({
        labels: Labels.from({
          __name__: 'm',
          pod: `pod-${k % 10}`,
          zone: `z${k % 3}`,
          i: String(k % 7),
        }).with('x', `${k}`),
        ts: Float64Array.from([1, 2, 3]),
        vs: Float64Array.from([1, 2, 3]),
      });
    model.sort((a, b) => Labels.compare(a.labels, b.labels));
    const meta = writeBlock(dir, { series: toBlockSeries(model, 0, 10, 120), minT: 0, maxT: 10 });
    let read = 0;
    let size = 0;
    const block = Block.open(path.join(dir, meta.id), {
      openFile: (file) => {
        const inner = openFileReader(file);
        if (path.basename(file) === 'index') size = inner.size;
        return {
          size: inner.size,
          read: (buf, pos) => {
            if (path.basename(file) === 'index') read += buf.length;
            return inner.read(buf, pos);
          },
          close: () => inner.close(),
        };
      },
    });
    block.close();
    return { read, size };
  };
  // Each series has a unique `x`, so symbols and label table grow with the series too (about 18 %
  // of this index); series entries and postings, the rest, are not read.
  const big = indexBytesReadAtOpen(20_000);
  assert.ok(big.read < big.size * 0.3, `read ${big.read} of ${big.size}`);
});

test('flipped bytes anywhere in the index or a chunk segment are reported as BlockCorruptError', (t) => {
  const dir = tempDir(t);
  const model: ModelSeries[] = [
    {
      labels: Labels.from({ __name__: 'a', job: 'x' }),
      ts: Float64Array.from([1, 5, 9, 20]),
      vs: Float64Array.from([1, 2, 3, 4]),
    },
    {
      labels: Labels.from({ __name__: 'a', job: 'y' }),
      ts: Float64Array.from([2, 3]),
      vs: Float64Array.from([Number.NaN, 0.5]),
    },
    {
      labels: Labels.from({ __name__: 'b', zone: 'ü' }),
      ts: Float64Array.from([7]),
      vs: Float64Array.from([-0]),
    },
  ];
  const meta = writeBlock(dir, { series: toBlockSeries(model, 0, 20, 2), minT: 0, maxT: 20 });
  const blockDir = path.join(dir, meta.id);
  const files = ['index', 'chunks/000001'];
  const pristine = new Map(files.map((f) => [f, fs.readFileSync(path.join(blockDir, f))]));

  /** Everything a reader can touch: all series, all postings, all chunk bytes. */
  const touchAll = (): void => {
    const block = Block.open(blockDir);
    try {
      for (const s of block.select([], 0, 20))
        for (const c of s.chunks) for (const it = c.chunk().iterator(); it.next(); );
      for (const name of block.labelNames())
        for (const value of block.labelValues(name)) block.select([Matcher.equal(name, value)], 0, 20);
    } finally {
      block.close();
    }
  };
  touchAll();

  for (const file of files) {
    const bytes = pristine.get(file)!;
    for (let pos = 0; pos < bytes.length; pos++) {
      const broken = Buffer.from(bytes);
      broken[pos] ^= 1 << (pos % 8);
      fs.writeFileSync(path.join(blockDir, file), broken);
      assert.throws(touchAll, BlockCorruptError, `${file} byte ${pos}`);
    }
    for (const len of [0, 7, bytes.length >> 1, bytes.length - 1]) {
      fs.writeFileSync(path.join(blockDir, file), bytes.subarray(0, len));
      assert.throws(
        touchAll,
        (e) => e instanceof BlockCorruptError && e.file.startsWith(file),
        `${file} cut at ${len}`,
      );
    }
    fs.writeFileSync(path.join(blockDir, file), bytes);
  }
  touchAll();

  fs.writeFileSync(path.join(blockDir, 'meta.json'), '{"version":1,');
  assert.throws(touchAll, (e) => e instanceof BlockCorruptError && e.file === 'meta.json');
});

test('a corrupt tombstones file is reported at open', (t) => {
  const dir = tempDir(t);
  const model: ModelSeries[] = [
    {
      labels: Labels.from({ __name__: 'a' }),
      ts: Float64Array.from([1, 2, 3]),
      vs: Float64Array.from([1, 2, 3]),
    },
  ];
  const meta = writeBlock(dir, { series: toBlockSeries(model, 0, 3, 120), minT: 0, maxT: 3 });
  const blockDir = path.join(dir, meta.id);
  const block = Block.open(blockDir);
  assert.equal(block.delete([], 2, 2), 1);
  block.close();
  const file = path.join(blockDir, 'tombstones');
  const bytes = fs.readFileSync(file);
  for (let pos = 0; pos < bytes.length; pos++) {
    const broken = Buffer.from(bytes);
    broken[pos] ^= 0x10;
    fs.writeFileSync(file, broken);
    assert.throws(
      () => Block.open(blockDir),
      (e) => e instanceof BlockCorruptError && e.file === 'tombstones',
    );
  }
});

test('writes are atomic: a failed write leaves nothing, a leftover .tmp is ignored and removable', (t) => {
  const dir = tempDir(t);
  const a = { labels: Labels.from({ a: '1' }), chunks: [encodeChunk([1], Float64Array.from([1]))] };
  const b = { labels: Labels.from({ a: '2' }), chunks: [encodeChunk([2], Float64Array.from([2]))] };
  assert.throws(() => writeBlock(dir, { series: [b, a], minT: 0, maxT: 10 }), BlockWriteError);
  assert.throws(() => writeBlock(dir, { series: [a], minT: 5, maxT: 10 }), BlockWriteError);
  assert.deepEqual(fs.readdirSync(dir), []);

  const meta = writeBlock(dir, { series: [a, b], minT: 0, maxT: 10 });
  const stale = `${newBlockId()}.tmp`;
  fs.mkdirSync(path.join(dir, stale, 'chunks'), { recursive: true });
  assert.deepEqual(listBlockDirs(dir), [path.join(dir, meta.id)]);
  assert.deepEqual(removeTmpDirs(dir), [path.join(dir, stale)]);
  assert.deepEqual(fs.readdirSync(dir), [meta.id]);
  const m = JSON.parse(fs.readFileSync(path.join(dir, meta.id, 'meta.json'), 'utf8'));
  assert.deepEqual(m, { ...meta, sources: [meta.id] });
  assert.equal(m.level, 1);
});

test('block ids sort by creation time and are unique', () => {
  const ids = Array.from({ length: 1000 }, () => newBlockId());
  assert.deepEqual([...ids].sort(), ids);
  assert.equal(new Set(ids).size, ids.length);
  assert.ok(newBlockId(Date.now() + 1000) > ids[999]);
});

test('an empty block can be written and read', (t) => {
  const dir = tempDir(t);
  const meta = writeBlock(dir, { series: [], minT: 0, maxT: 100 });
  const block = Block.open(path.join(dir, meta.id));
  assert.deepEqual(block.select([], 0, 100), []);
  assert.deepEqual(block.labelNames(), []);
  assert.deepEqual(block.labelValues('a'), []);
  assert.ok(block.sizeBytes() > 0);
  block.close();
});
