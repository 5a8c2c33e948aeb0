// The chunk recode (recode.ts) as a task for a worker pool (src/workers/task.ts has the contract;
// db/offload.ts registers it). Input and output are RecodeRequests: chunk bytes one after another,
// and where each ends.

import type { TaskHandler } from '../../workers/task.ts';
import type { RecodeRequest } from './chunk-recoder.ts';
import { smallerDecimalBytes } from './recode.ts';

export const RECODE_TASK = 'tsdb.recode';

export function createTaskHandler(): TaskHandler {
  // Answers are copied out of the encoder's shared buffer as they come, into one growing buffer.
  let out: Uint8Array<ArrayBuffer> = new Uint8Array(64 * 1024);
  return (input) => {
    const req = input as RecodeRequest;
    const ends = new Uint32Array(req.ends.length);
    let at = 0;
    let start = 0;
    for (let i = 0; i < req.ends.length; i++) {
      const end = req.ends[i];
      const better = smallerDecimalBytes(req.bytes.subarray(start, end));
      if (better !== undefined) {
        if (at + better.length > out.length) out = grown(out, at + better.length);
        out.set(better, at);
        at += better.length;
      }
      ends[i] = at;
      start = end;
    }
    const bytes = out.slice(0, at);
    return { value: { bytes, ends }, transfer: [bytes.buffer, ends.buffer] };
  };
}

function grown(buf: Uint8Array, need: number): Uint8Array<ArrayBuffer> {
  const next = new Uint8Array(Math.max(need, buf.length * 2));
  next.set(buf);
  return next;
}
