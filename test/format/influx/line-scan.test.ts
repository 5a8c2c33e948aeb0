import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { ByteLineScanner } from '../../../src/format/influx/byte-scanner.ts';
import type { Precision } from '../../../src/format/influx/index.ts';
import { LineScan } from '../../../src/format/influx/line-scan.ts';
import { cleanLine, digitString, lineText, pick } from './line-generators.ts';

const PRECISIONS: readonly Precision[] = ['ns', 'us', 'ms', 's', 'm', 'h'];

/** The lines of `body` as the receiver split them before: at each \n, a \r before it dropped. */
function referenceLines(body: Buffer): { start: number; stop: number; end: number }[] {
  const lines = [];
  for (let pos = 0; pos < body.length; ) {
    let end = body.indexOf(10, pos);
    if (end < 0) end = body.length;
    const stop = end > pos && body[end - 1] === 13 ? end - 1 : end;
    lines.push({ start: pos, stop, end });
    pos = end + 1;
  }
  return lines;
}

/**
 * Scans `body` both ways: the lines must be the same, and every line LineScan reads the byte scanner
 * must read the same way (one numeric field, same positions, value bit for bit, same timestamp).
 * Returns how many lines LineScan read.
 */
function checkBody(body: Buffer, precision: Precision, scan = new LineScan()): number {
  const expected = referenceLines(body);
  const bytes = new ByteLineScanner();
  bytes.precision = precision;
  scan.load(body, precision);
  let read = 0;
  for (const [i, want] of expected.entries()) {
    assert.ok(scan.next(), `line ${i + 1} of ${expected.length} missing`);
    const where = `line ${i + 1} ${JSON.stringify(body.toString('latin1', want.start, want.end))} (${precision})`;
    assert.deepEqual({ start: scan.start, stop: scan.stop, end: scan.end }, want, where);
    if (!scan.read) continue;
    read++;
    assert.ok(bytes.scan(body, want.start, want.stop), `${where}: the byte scanner does not take it`);
    assert.equal(bytes.blank, false, where);
    assert.equal(bytes.fieldCount, 1, where);
    assert.equal(bytes.isString[0], 0, where);
    assert.equal(bytes.seriesStart, scan.start, where);
    assert.equal(bytes.seriesEnd, scan.seriesEnd, where);
    assert.equal(bytes.keyStarts[0], scan.keyStart, where);
    assert.equal(bytes.keyEnds[0], scan.keyEnd, where);
    assert.ok(
      Object.is(bytes.values[0], scan.value),
      `${where}: value ${scan.value}, not ${bytes.values[0]}`,
    );
    assert.equal(bytes.hasTimestamp, scan.hasTimestamp, where);
    if (scan.hasTimestamp) assert.equal(scan.timestamp, bytes.timestamp, where);
  }
  assert.equal(scan.next(), false, 'a line too many');
  return read;
}

test('reads the common shape as the byte scanner does, and leaves the rest to it', () => {
  const lines = [
    'cpu,host=a usage=1.5 1700000000000',
    'm v=797053 1700000009016',
    'm v=-0 1',
    'm v=-0i',
    'm v=1. 5',
    'm v=.25',
    'm v=42i 7',
    'm v=42u',
    'm v=999999999999999 12',
    'm  v=1   17  \t ',
    'm v=1 -17',
    'm v=1 00000000000000000000001',
  ];
  const body = Buffer.from(`${lines.join('\n')}\n`);
  for (const p of ['ns', 'us', 'ms'] as const) assert.equal(checkBody(body, p), lines.length, p);
  // In s, m and h the two largest timestamps are out of range: the byte scanner says so.
  for (const p of ['s', 'm', 'h'] as const) assert.equal(checkBody(body, p), lines.length - 2, p);

  const left = [
    '',
    '  m v=1',
    '\tm v=1',
    '# comment',
    'm\\ x v=1',
    'm v="a string"',
    'm v=t',
    'm v=1,w=2',
    'm v=1e3',
    'm v=1234567890123456',
    'm v=-5u',
    'm v=1 x',
    'm v=1 17x',
    'm ü=1',
    'm =1',
    'm v=',
    'm',
    'm v=1 99999999999999999999',
    // 2^64 + 5: 64-bit digit arithmetic alone would read 5
    'm v=1 18446744073709551621',
  ];
  const other = Buffer.from(left.join('\n'));
  const scan = new LineScan();
  assert.equal(checkBody(other, 'ms', scan), 0);
});

test('line ends: \\r\\n, a last line without \\n, empty lines, and more lines than one batch', () => {
  assert.equal(checkBody(Buffer.from('m v=1 1\r\n\r\n\nm v=2 2\r'), 'ms'), 2);
  assert.equal(checkBody(Buffer.from('m v=1 1\r\nm v=2 2'), 'ms'), 2);
  assert.equal(checkBody(Buffer.from(''), 'ms'), 0);
  assert.equal(checkBody(Buffer.from('\n'), 'ms'), 0);
  const many = Array.from({ length: 3000 }, (_, i) => `m,i=${i} v=${i}.5 ${1_700_000_000_000 + i}`);
  assert.equal(checkBody(Buffer.from(many.join('\n')), 'ms'), 3000);
});

test('one scanner, bodies one after another: a short body after a long one reads only its own bytes', () => {
  const scan = new LineScan();
  checkBody(Buffer.from('cpu,host=a,region=somewhere usage=1.5 1700000000000\n'.repeat(50)), 'ns', scan);
  assert.equal(checkBody(Buffer.from('m v=1'), 'ns', scan), 1);
  assert.equal(checkBody(Buffer.from('m'), 'ns', scan), 0);
});

test('a body larger than the memory kept between bodies', () => {
  const line = 'cpu,host=a,region=eu-west usage_user=12.25 1700000000000000000\n';
  const body = Buffer.from(line.repeat(Math.ceil((9 << 20) / line.length)));
  const scan = new LineScan();
  assert.equal(checkBody(body, 'ns', scan), body.length / line.length);
  assert.equal(checkBody(Buffer.from(line), 'ns', scan), 1);
});

test('property: every line it reads, the byte scanner reads the same', () => {
  let read = 0;
  let lines = 0;
  const scan = new LineScan();
  // Mostly the shape it reads, with the edges of what it reads (15 and 16 digits, -0, 1., .5, 16
  // digits of ms) and near misses (exponents, +, ü, a second field, a bad timestamp).
  const oneField = fc
    .tuple(
      pick('m', 'cpu,host=a', 'm,t=v', 'm"x', 'm\tx', 'a=b'),
      pick(' ', ' ', '  '),
      pick('v', 'usage', 'v', 'k\tx', 'ü'),
      fc
        .oneof(
          {
            weight: 4,
            arbitrary: fc.tuple(pick('', '-'), digitString(0, 9), pick('', '.', '.'), digitString(0, 8)),
          },
          {
            weight: 1,
            arbitrary: fc.tuple(pick('', '-', '+'), digitString(0, 17), pick('', '.'), digitString(0, 17)),
          },
          { weight: 2, arbitrary: fc.tuple(pick('', '-'), digitString(0, 17), pick('i', 'u'), pick('')) },
          {
            weight: 1,
            arbitrary: fc
              .double({ noNaN: true, noDefaultInfinity: true })
              .map((d) => [Object.is(d, -0) ? '-0' : String(d), '', '', '']),
          },
        )
        .map((p) => p.join('')),
      fc.oneof(
        { weight: 1, arbitrary: pick('', ' ', ',w=1') },
        {
          weight: 4,
          arbitrary: fc
            .tuple(pick(' ', '  '), pick('', '', '-'), digitString(1, 10), pick('', '', ' ', '\t', ' \t'))
            .map((p) => p.join('')),
        },
        {
          weight: 1,
          arbitrary: fc
            .tuple(pick(' ', '  '), pick('', '-', '+'), digitString(1, 22), pick('', ' ', 'x'))
            .map((p) => p.join('')),
        },
      ),
    )
    .map(([s, sep, k, v, ts]) => `${s}${sep}${k}=${v}${ts}`);
  fc.assert(
    fc.property(
      fc.array(
        fc.oneof(
          { weight: 8, arbitrary: oneField },
          { weight: 1, arbitrary: cleanLine },
          { weight: 2, arbitrary: lineText },
        ),
        { maxLength: 20 },
      ),
      pick('\n', '\r\n'),
      fc.boolean(),
      pick(...PRECISIONS),
      (generated, eol, lastEol, precision) => {
        const body = Buffer.from(generated.join(eol) + (lastEol ? eol : ''));
        lines += generated.length;
        read += checkBody(body, precision, scan);
      },
    ),
    { numRuns: 1500 },
  );
  // The generators must give it plenty to read, or the property says little.
  assert.ok(read > lines / 4, `read ${read} of ${lines} lines`);
});
