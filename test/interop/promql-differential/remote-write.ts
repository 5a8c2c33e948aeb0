// The dataset as remote_write 1.0 requests, in time order: each request carries every series' samples
// of one slice of time, the way a Prometheus sends its WAL. A fresh Prometheus accepts that (it only
// refuses samples older than its head's newest minus an hour); the same bytes go to telemux.

import { encodeWriteRequest, type SeriesInput } from '../../../src/format/remote-write/index.ts';
import type { Dataset } from './dataset.ts';

/** Five minutes of samples per request: ~40,000 samples, a few hundred kB. */
const SLICE_MS = 5 * 60_000;

export function encodeDataset(data: Dataset): Uint8Array[] {
  const cursors = new Int32Array(data.series.length);
  const bodies: Uint8Array[] = [];
  let first = true;
  let lastT = Number.NEGATIVE_INFINITY;
  for (const s of data.series) lastT = Math.max(lastT, s.timestamps[s.timestamps.length - 1]);
  for (let from = data.startMs; from <= lastT; from += SLICE_MS) {
    const to = from + SLICE_MS;
    const series: SeriesInput[] = [];
    data.series.forEach((s, i) => {
      const a = cursors[i];
      let b = a;
      while (b < s.timestamps.length && s.timestamps[b] < to) b++;
      cursors[i] = b;
      if (b > a)
        series.push({
          labels: s.labels,
          timestamps: s.timestamps.subarray(a, b),
          values: s.values.subarray(a, b),
        });
    });
    if (series.length === 0) continue;
    bodies.push(encodeWriteRequest({ series, metadata: first ? data.metadata : [] }));
    first = false;
  }
  return bodies;
}

export async function remoteWrite(writeUrl: string, bodies: readonly Uint8Array[]): Promise<void> {
  for (const body of bodies) {
    const res = await fetch(writeUrl, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/x-protobuf',
        'Content-Encoding': 'snappy',
        'X-Prometheus-Remote-Write-Version': '0.1.0',
      },
      body,
    });
    const text = await res.text();
    if (res.status !== 204 && res.status !== 200)
      throw new Error(`remote_write to ${writeUrl}: ${res.status} ${text}`);
  }
}
