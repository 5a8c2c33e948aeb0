// Whatever arrives, the input never throws, and every non-empty line is either received or dropped.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { makeHarness, type StatsdHarness } from './harness.ts';

function handled(h: StatsdHarness): number {
  return h.received() + Object.values(h.drops()).reduce((a, b) => a + b, 0);
}

const PIECES = [
  'a',
  'b.c',
  ':',
  '|',
  '1',
  '-2',
  '+3',
  '.5',
  'e3',
  'c',
  'g',
  'ms',
  'h',
  'd',
  's',
  '@0.5',
  '@',
  '#',
  'k:v',
  ',',
  '=',
  '[',
  ']',
  '\n',
  '\r',
  '\xff',
  'le:x',
  'quantile:1',
  '__x:y',
];

describe('statsd input fuzz', () => {
  it('random datagrams never throw; each non-empty line is counted once', () => {
    const h = makeHarness({ maxSeries: 200, maxDatagramBytes: 4096 });
    let lines = 0;
    fc.assert(
      fc.property(
        fc.oneof(
          fc.uint8Array({ maxLength: 200 }).map((a) => Buffer.from(a)),
          fc
            .array(fc.constantFrom(...PIECES), { maxLength: 30 })
            .map((p) => Buffer.from(p.join(''), 'latin1')),
          fc.array(fc.constantFrom(...PIECES), { maxLength: 30 }).map((p) => Buffer.from(p.join(''), 'utf8')),
        ),
        (buf) => {
          h.input.handleDatagram(buf);
          // Count what should have been handled: non-empty lines after dropping a trailing \r.
          for (const part of splitLines(buf)) if (part.length > 0) lines++;
          assert.equal(handled(h), lines);
        },
      ),
      { numRuns: 5000 },
    );
    assert.equal(h.drops().internal_error, undefined);
    assert.ok(h.input.seriesCount <= 200);
  });
});

function splitLines(buf: Buffer): Buffer[] {
  const out: Buffer[] = [];
  let start = 0;
  while (start <= buf.length) {
    let nl = buf.indexOf(0x0a, start);
    if (nl < 0) nl = buf.length;
    let end = nl;
    if (end > start && buf[end - 1] === 0x0d) end--;
    out.push(buf.subarray(start, end));
    start = nl + 1;
  }
  return out;
}
