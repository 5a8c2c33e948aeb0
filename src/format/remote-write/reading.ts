// Shared pieces of the remote_write decoders (1.0 and 2.0): field tags, skipping unknown fields,
// growable sample columns, and label-set validation.

import { type Label, LabelError, Labels } from '../../model/labels.ts';
import type { NameValidation } from '../../model/names.ts';
import { RemoteWriteDecodeError } from './errors.ts';
import { truncated, type WireReader, wrongWireType } from './wire.ts';

/** Growable column scratch shared by all decodes (they are synchronous); copied out per series. */
export class Columns {
  ts = new Float64Array(256);
  values = new Float64Array(256);
  valueBytes = new Uint8Array(this.values.buffer);
  /** The values as 32-bit words, in the platform's order (little-endian, as the wire). */
  valueWords = new Uint32Array(this.values.buffer);

  ensure(n: number): void {
    if (n <= this.ts.length) return;
    const size = Math.max(n, this.ts.length * 2);
    const ts = new Float64Array(size);
    ts.set(this.ts);
    const values = new Float64Array(size);
    // Byte copy: the values must keep their bits, whatever a float copy might do to NaNs.
    new Uint8Array(values.buffer).set(this.valueBytes);
    this.ts = ts;
    this.values = values;
    this.valueBytes = new Uint8Array(values.buffer);
    this.valueWords = new Uint32Array(values.buffer);
  }
}

/** Validates a label set. Empty values are dropped: Prometheus treats them as an absent label. */
export function validateLabels(
  pairs: Label[],
  required: boolean,
  where: () => string,
  mode: NameValidation,
): Labels {
  let sorted = true;
  let kept = 0;
  for (let i = 0; i < pairs.length; i++) {
    const p = pairs[i];
    if (p.name === '') throw new RemoteWriteDecodeError(`labels: ${where()}: empty label name`);
    if (p.value === '') continue;
    if (kept > 0 && pairs[kept - 1].name >= p.name) sorted = false;
    pairs[kept++] = p;
  }
  pairs.length = kept;
  if (kept === 0) {
    if (required) throw new RemoteWriteDecodeError(`labels: ${where()}: series has no labels`);
    return Labels.EMPTY;
  }
  try {
    // Senders must sort by name; an unsorted set is accepted and sorted (Labels.from rejects duplicates).
    return (sorted ? Labels.fromSorted(pairs) : Labels.from(pairs)).validate(mode);
  } catch (err) {
    if (err instanceof LabelError) throw new RemoteWriteDecodeError(`labels: ${where()}: ${err.message}`);
    throw err;
  }
}

export function readTag(r: WireReader, end: number, what: string): number {
  const tag = r.uint32();
  if (r.pos > end) throw truncated(`${what} field tag`);
  if (tag >>> 3 === 0) throw new RemoteWriteDecodeError(`protobuf: ${what} has a field number 0`);
  return tag;
}

export function expect(tag: number, wireType: number, what: string): void {
  if ((tag & 7) !== wireType) throw wrongWireType(what, tag & 7);
}

/** Skips an unknown field, which must end inside its message. */
export function skip(r: WireReader, tag: number, end: number, what: string): void {
  r.skipType(tag & 7, 0, tag >>> 3);
  if (r.pos > end)
    throw new RemoteWriteDecodeError(`protobuf: an unknown field of ${what} overruns its message`);
}
