// For the remote_write tests: a SeriesKeys as plain as can be, and protobuf fields written by hand
// (for layouts the encoder never writes).

import type { Writer } from 'protobufjs';
import type { SeriesKeys } from '../../../src/format/remote-write/index.ts';
import type { Labels } from '../../../src/model/labels.ts';

/** A TimeSeries.labels field. */
export function labelField(w: Writer, name: string, value: string): void {
  w.uint32((1 << 3) | 2).fork();
  w.uint32((1 << 3) | 2).string(name);
  w.uint32((2 << 3) | 2).string(value);
  w.ldelim();
}

/** A TimeSeries.samples field as senders write it: the value, then the timestamp. */
export function sampleField(w: Writer, value: number, t: number): void {
  w.uint32((2 << 3) | 2)
    .fork()
    .uint32((1 << 3) | 1)
    .double(value)
    .uint32(2 << 3)
    .int64(t)
    .ldelim();
}

/** SeriesKeys as plainly as possible: ids by the bytes' latin1 string, labels by id. */
export function plainKeys(): SeriesKeys & { labels: Labels[]; byBytes: Map<string, number>; misses: number } {
  const byLabels = new Map<string, number>();
  const keys = {
    labels: [] as Labels[],
    byBytes: new Map<string, number>(),
    misses: 0,
    find(buf: Uint8Array, start: number, end: number) {
      return keys.byBytes.get(Buffer.from(buf.subarray(start, end)).toString('latin1')) ?? -1;
    },
    add(buf: Uint8Array, start: number, end: number, labels: Labels) {
      keys.misses++;
      const id = keys.idOf(labels);
      keys.byBytes.set(Buffer.from(buf.subarray(start, end)).toString('latin1'), id);
      return id;
    },
    idOf(labels: Labels) {
      let id = byLabels.get(labels.key);
      if (id === undefined) {
        id = keys.labels.length;
        keys.labels.push(labels);
        byLabels.set(labels.key, id);
      }
      return id;
    },
  };
  return keys;
}
