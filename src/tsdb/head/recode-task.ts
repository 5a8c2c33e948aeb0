// The chunk recode (recode.ts) as a task for the decode pool's worker threads (see
// inputs/decode-pool/task.ts for the contract, matched here by shape: the store does not import the
// inputs). Input and output are RecodeRequests: chunk bytes one after another, and where each ends.

import { XorChunk } from '../chunk/xor-chunk.ts';
import type { RecodeRequest } from './chunk-recoder.ts';
import { smallerDecimal } from './recode.ts';

export const RECODE_TASK = 'tsdb.recode';

export function createTaskHandler(): (input: unknown) => { value: RecodeRequest; transfer: ArrayBuffer[] } {
  return (input) => {
    const req = input as RecodeRequest;
    const found: Uint8Array[] = [];
    let size = 0;
    let start = 0;
    for (let i = 0; i < req.ends.length; i++) {
      const end = req.ends[i];
      const better = smallerDecimal(XorChunk.fromBytes(req.bytes.subarray(start, end)));
      const b = better === undefined ? EMPTY : better.bytes();
      found.push(b);
      size += b.length;
      start = end;
    }
    const bytes = new Uint8Array(size);
    const ends = new Uint32Array(found.length);
    let at = 0;
    for (let i = 0; i < found.length; i++) {
      bytes.set(found[i], at);
      at += found[i].length;
      ends[i] = at;
    }
    return { value: { bytes, ends }, transfer: [bytes.buffer, ends.buffer] };
  };
}

const EMPTY = new Uint8Array(0);
