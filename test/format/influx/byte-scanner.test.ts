import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { ByteLineScanner, MAX_SCANNED_FIELDS } from '../../../src/format/influx/byte-scanner.ts';
import {
  FieldType,
  LineProtocolError,
  type Point,
  type Precision,
  scanLineProtocol,
} from '../../../src/format/influx/index.ts';
import { cleanLine, digitString, lineText, noNewline, pick, sign } from './line-generators.ts';

const PRECISIONS: readonly Precision[] = ['ns', 'us', 'ms', 's', 'm', 'h'];

interface Scanned {
  readonly series: string;
  readonly fields: readonly { key: string; isString: boolean; value: number }[];
  readonly timestamp: number | undefined;
}

/** The scanner's reading of `line` (as UTF-8, a trailing CR dropped as the receiver does), or 'bail' / 'blank'. */
function byteScan(line: Buffer | string, precision: Precision = 'ns'): Scanned | 'bail' | 'blank' {
  const buf = typeof line === 'string' ? Buffer.from(line) : line;
  // Somewhere in the middle of a larger buffer, as in a body.
  const body = Buffer.concat([Buffer.from('x\n'), buf, Buffer.from('\ny')]);
  let end = 2 + buf.length;
  if (end > 2 && body[end - 1] === 13) end--;
  const s = new ByteLineScanner();
  s.precision = precision;
  if (!s.scan(body, 2, end)) return 'bail';
  if (s.blank) return 'blank';
  const fields = [];
  for (let i = 0; i < s.fieldCount; i++)
    fields.push({
      key: body.toString('utf8', s.keyStarts[i], s.keyEnds[i]),
      isString: s.isString[i] === 1,
      value: s.values[i],
    });
  let strings = 0;
  for (const f of fields) if (f.isString) strings++;
  assert.equal(s.stringCount, strings);
  return {
    series: body.toString('utf8', s.seriesStart, s.seriesEnd),
    fields,
    timestamp: s.hasTimestamp ? s.timestamp : undefined,
  };
}

/** The full parser's reading of `line`: the point, nothing (blank), or its error. */
function fullParse(
  line: Buffer | string,
  precision: Precision = 'ns',
): Scanned | 'blank' | LineProtocolError {
  const text = typeof line === 'string' ? line : line.toString('utf8');
  let out: Scanned | 'blank' | LineProtocolError = 'blank';
  scanLineProtocol(
    text,
    { precision },
    (p: Point) => {
      const fields = [];
      for (let i = 0; i < p.fieldCount; i++)
        fields.push({
          key: p.fieldKeys[i],
          isString: p.fieldTypes[i] === FieldType.String,
          value: p.fieldValues[i],
        });
      out = { series: p.seriesKey, fields, timestamp: p.timestamp };
    },
    (err) => {
      out = err;
    },
  );
  return out;
}

/** Same fields (keys, kinds, values bit for bit incl. -0) and timestamp. */
function assertSameReading(scanned: Scanned, parsed: Scanned, what: string): void {
  assert.equal(scanned.fields.length, parsed.fields.length, what);
  for (let i = 0; i < parsed.fields.length; i++) {
    const a = scanned.fields[i];
    const b = parsed.fields[i];
    assert.equal(a.key, b.key, what);
    assert.equal(a.isString, b.isString, what);
    assert.ok(Object.is(a.value, b.value), `${what}: field ${i}: ${a.value} vs ${b.value}`);
  }
  assert.equal(scanned.timestamp, parsed.timestamp, what);
}

/**
 * The property: when the scanner takes a line, the full parser reads the same; and the scanner never
 * takes a line whose fields or timestamp the full parser rejects. (It does not validate the
 * measurement and tags, by design: when the full parser rejects only those, the same line with a
 * plain measurement in their place must read the same.) Returns whether the scanner took the line.
 */
function checkLine(line: Buffer, precision: Precision): boolean {
  const what = `${JSON.stringify(line.toString('latin1'))} (${precision})`;
  const scanned = byteScan(line, precision);
  if (scanned === 'bail') return false;
  const parsed = fullParse(line, precision);
  if (scanned === 'blank') {
    assert.equal(parsed, 'blank', what);
    return true;
  }
  if (parsed instanceof LineProtocolError) {
    let lead = 0;
    while (line[lead] === 32 || line[lead] === 9) lead++;
    const from = line.indexOf(32, lead);
    const plain = Buffer.concat([Buffer.from('m'), line.subarray(from)]);
    const reparsed = fullParse(plain, precision);
    assert.ok(
      !(reparsed instanceof LineProtocolError) && reparsed !== 'blank',
      `${what}: the scanner took a line the full parser rejects for its fields or timestamp: ${parsed.message}`,
    );
    assertSameReading(scanned, reparsed, what);
    return true;
  }
  assert.notEqual(parsed, 'blank', what);
  assert.equal(scanned.series, (parsed as Scanned).series, what);
  assertSameReading(scanned, parsed as Scanned, what);
  return true;
}

test('the common shapes: every value type, blank lines and comments, timestamps', () => {
  assert.deepEqual(
    byteScan('cpu,host=a,region=eu f=1.5,i=-42i,u=42u,b=true,s="hi, \\"x\\"" 1700000000123456789'),
    {
      series: 'cpu,host=a,region=eu',
      fields: [
        { key: 'f', isString: false, value: 1.5 },
        { key: 'i', isString: false, value: -42 },
        { key: 'u', isString: false, value: 42 },
        { key: 'b', isString: false, value: 1 },
        { key: 's', isString: true, value: Number.NaN },
      ],
      timestamp: 1700000000123,
    },
  );
  for (const blank of ['', '   ', '\t', '# comment', '  \t# x=1 2'])
    assert.equal(byteScan(blank), 'blank', JSON.stringify(blank));
  const one = (line: string, precision: Precision = 'ns') => {
    const s = byteScan(line, precision);
    assert.ok(typeof s === 'object', `${line}: ${s}`);
    return s;
  };
  assert.equal(one('m  v=1   ').timestamp, undefined);
  assert.equal(one('m v=1 -1500000 \t ').timestamp, -2);
  assert.equal(one('m v=1 28333333', 'm').timestamp, 28333333 * 60_000);
  assert.equal(one('m v=1 -0').timestamp, 0);
  assert.equal(one('m v=1 9223372036854775806').timestamp, 9223372036854);
  // Measurement and tags are not looked into: `=` and `"` are just bytes there.
  assert.equal(one('a=b,"c" v=1').series, 'a=b,"c"');
  // Tabs are part of a key (only spaces separate).
  assert.equal(one('m k\tx=1').fields[0].key, 'k\tx');
});

test('numbers: exact values, -0, and the slow but exact route for long or exponent forms', () => {
  const value = (text: string) => {
    const s = byteScan(`m v=${text}`);
    assert.ok(typeof s === 'object', `${text}: ${s}`);
    return s.fields[0].value;
  };
  assert.ok(Object.is(value('-0'), -0));
  assert.ok(Object.is(value('-0.000'), -0));
  assert.ok(Object.is(value('-0i'), -0));
  assert.ok(Object.is(value('0'), 0));
  for (const text of [
    '0.1',
    '0.3',
    '123456789.012345',
    '999999999999999',
    '.5',
    '-.5',
    '1.',
    '007.50',
    '1e3',
    '-2.5E-3',
    '6.02e+23',
    '0.30000000000000004',
    '1234567890123456789',
    '1.7976931348623157e308',
    '5e-324',
    '123456789012345.6',
  ])
    assert.ok(Object.is(value(text), Number(text)), text);
  assert.equal(value('123456789012345i'), 123456789012345);
  assert.equal(value('-123456789012345i'), -123456789012345);
  assert.equal(value('000000000000042u'), 42);
  for (const [word, v] of [
    ['t', 1],
    ['T', 1],
    ['true', 1],
    ['True', 1],
    ['TRUE', 1],
    ['f', 0],
    ['F', 0],
    ['false', 0],
    ['False', 0],
    ['FALSE', 0],
  ] as const)
    assert.equal(value(word as string), v, word);
});

test('what the scanner leaves to the full parser', () => {
  const fields64 = Array.from({ length: MAX_SCANNED_FIELDS }, (_, i) => `f${i}=${i}`).join(',');
  assert.equal((byteScan(`m ${fields64}`) as Scanned).fields.length, MAX_SCANNED_FIELDS);
  for (const line of [
    `m ${fields64},x=1`, // too many fields
    'm\\ x v=1', // escapes in the measurement or tags
    'm,t=a\\,b v=1',
    'm v\\ x=1', // escapes in a field key
    'm', // no fields
    'm ',
    'm v',
    'm =1',
    'm v=',
    'm v=1,v=2', // a repeated key (the last wins: the full parser's rule)
    'm v=1,w="x",v=3',
    'm v="unterminated',
    'm v="x\\"', // the last quote is escaped
    'm v="x"y',
    'm v=1234567890123456i', // 16 digits: the full parser checks the int64 range
    'm v=1234567890123456u',
    'm v=-1u',
    'm v=1.5i',
    'm v=1e400', // not finite
    'm v=NaN',
    'm v=+1',
    'm v=0x10',
    'm v=tRUE',
    'm v=yes',
    'm v=1\t', // a tab ends no value
    'm v=1 1.5', // timestamps are integers
    'm v=1 1 2',
    'm v=1 x',
    'm v=1 \t',
    'm v=1 99999999999999999999999', // out of range
    'm v=1 9223372036855000000',
    'm v=1\r 5', // a CR inside the line (a last one is dropped before scanning)
  ])
    assert.equal(byteScan(line), 'bail', line);
  // Two keys that decode to the same text (U+FFFD) must not both be taken.
  const twoBad = Buffer.concat([
    Buffer.from('m a'),
    Buffer.from([0xff]),
    Buffer.from('=1,a'),
    Buffer.from([0xfe]),
    Buffer.from('=2'),
  ]);
  assert.equal(byteScan(twoBad), 'bail');
  assert.ok(typeof byteScan('m ü=1,é=2') === 'object');
});

test('property: whenever the scanner takes a line, the full parser reads the same', () => {
  let taken = 0;
  let runs = 0;
  fc.assert(
    fc.property(
      fc.oneof(
        { weight: 4, arbitrary: cleanLine.map((s) => Buffer.from(s)) },
        { weight: 6, arbitrary: lineText.map((s) => Buffer.from(s)) },
        // Repeated keys and many fields.
        {
          weight: 1,
          arbitrary: fc
            .array(pick('a', 'b', 'c', 'ü'), { minLength: 1, maxLength: 70 })
            .map((keys) =>
              Buffer.from(`m ${keys.map((k, i) => `${k}${i % 7 === 0 ? '' : i}=${i}`).join(',')}`),
            ),
        },
        // Junk, and valid lines with some bytes changed (invalid UTF-8 among them).
        {
          weight: 1,
          arbitrary: fc
            .string({
              unit: pick('m', ' ', ',', '=', '\\', '"', '1', '.', 'e', '-', 'i', 't', '\t', '#'),
              maxLength: 30,
            })
            .map((s) => Buffer.from(s)),
        },
        {
          weight: 2,
          arbitrary: fc
            .tuple(lineText, fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 3 }))
            .map(([s, edits]) => {
              const b = Buffer.from(s);
              for (const [at, byte] of edits) if (b.length > 0) b[at % b.length] = byte;
              return noNewline(b);
            }),
        },
      ),
      pick(...PRECISIONS),
      (line, precision) => {
        runs++;
        if (checkLine(line, precision)) taken++;
      },
    ),
    { numRuns: 4000 },
  );
  // The generators must give the scanner plenty it takes, or the property says little.
  assert.ok(taken > runs / 4, `the scanner took ${taken} of ${runs} lines`);
});

test('property: floats and integers of every size read as Number() reads them', () => {
  fc.assert(
    fc.property(
      fc.oneof(
        fc.double({ noNaN: true, noDefaultInfinity: true }).map(String),
        fc.tuple(sign, digitString(1, 20), pick('.', ''), digitString(0, 20)).map((p) => p.join('')),
        fc.bigInt({ min: -(10n ** 20n), max: 10n ** 20n }).map((n) => `${n}i`),
        fc.bigInt({ min: 0n, max: 10n ** 20n }).map((n) => `${n}u`),
      ),
      pick(...PRECISIONS),
      (text, precision) => {
        checkLine(Buffer.from(`m v=${text}`), precision);
      },
    ),
    { numRuns: 3000 },
  );
});

test('property: timestamps of every precision, sign and size convert as the full parser does', () => {
  fc.assert(
    fc.property(
      pick('', '-'),
      fc.oneof(digitString(1, 22), fc.bigInt({ min: 0n, max: 2n ** 64n }).map(String)),
      pick(...PRECISIONS),
      (neg, digits, precision) => {
        const line = Buffer.from(`m v=1 ${neg}${digits}`);
        const parsed = fullParse(line, precision);
        const scanned = byteScan(line, precision);
        // Every valid timestamp is taken; invalid ones never are.
        if (parsed instanceof LineProtocolError) assert.equal(scanned, 'bail');
        else assert.equal((scanned as Scanned).timestamp, (parsed as Scanned).timestamp);
      },
    ),
    { numRuns: 3000 },
  );
});

test('property: one scanner reading a body line by line reads each line as a fresh one does', () => {
  fc.assert(
    fc.property(fc.array(fc.oneof(cleanLine, lineText), { maxLength: 12 }), (lines) => {
      const texts = lines.map((l) => l.replace(/\r/g, ''));
      const body = Buffer.from(texts.join('\n'));
      const reused = new ByteLineScanner();
      let pos = 0;
      for (const text of texts) {
        const end = pos + Buffer.byteLength(text);
        const took = reused.scan(body, pos, end);
        const fresh = byteScan(text);
        assert.equal(took, fresh !== 'bail', text);
        if (took && fresh !== 'bail' && fresh !== 'blank') {
          assert.equal(body.toString('utf8', reused.seriesStart, reused.seriesEnd), fresh.series);
          assert.equal(reused.fieldCount, fresh.fields.length);
        }
        pos = end + 1;
      }
    }),
    { numRuns: 1000 },
  );
});
