// telemux_storage_*: what the store reports on /metrics follows what it holds, the head's open-chunk
// memory (WebAssembly, outside the heap and ArrayBuffer figures) included.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Labels } from '../../src/model/labels.ts';
import { StorageCollector } from '../../src/registry/storage-collector.ts';
import { TimeSeriesDb } from '../../src/tsdb/db/db.ts';
import { inTempDir } from '../helpers/store.ts';

test('head series, samples and open-chunk memory grow with what is appended', async () => {
  await inTempDir(async (dir) => {
    const db = TimeSeriesDb.open({ path: dir });
    try {
      const values = () =>
        new Map(new StorageCollector(db).collect().map((f) => [f.name, f.metrics[0].value as number]));
      const before = values();
      assert.equal(before.get('telemux_storage_head_series'), 0);
      const app = db.appender();
      for (let s = 0; s < 2000; s++) {
        const series = app.series(Labels.from({ __name__: 'x', s: String(s) }))!;
        for (let i = 0; i < 10; i++) app.append(series, 1_700_000_000_000 + i * 15_000, Math.sin(s + i));
      }
      await app.commit();
      const after = values();
      assert.equal(after.get('telemux_storage_head_series'), 2000);
      assert.equal(after.get('telemux_storage_head_samples_appended_total'), 20_000);
      // 2,000 open chunks: a 64-byte record and a 128-byte region each, at least.
      assert.ok(after.get('telemux_storage_head_open_chunk_bytes')! >= 2000 * 192);
    } finally {
      await db.close();
    }
  });
});
