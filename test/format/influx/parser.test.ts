import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import {
  clonePoint,
  FieldType,
  LineProtocolError,
  LineProtocolScanner,
  type ParsedPoint,
  type Precision,
  parseLineProtocol,
  parsePrecision,
  scanLineProtocol,
} from '../../../src/format/influx/index.ts';
import { serializePoint, type TestField, type TestPoint } from './serialize.ts';

const one = (line: string, precision: Precision = 'ns'): ParsedPoint => {
  const points = parseLineProtocol(line, { precision });
  assert.equal(points.length, 1);
  return points[0];
};

const error = (text: string, precision: Precision = 'ns'): LineProtocolError => {
  try {
    parseLineProtocol(text, { precision });
  } catch (err) {
    assert.ok(err instanceof LineProtocolError, String(err));
    return err;
  }
  assert.fail(`expected an error for ${JSON.stringify(text)}`);
};

test('a full line: measurement, tags, every field type, timestamp', () => {
  const p = one('cpu,host=a,region=eu f=1.5,i=-42i,u=42u,b=true,s="hi" 1700000000123456789');
  assert.equal(p.measurement, 'cpu');
  assert.deepEqual(p.tags, [
    ['host', 'a'],
    ['region', 'eu'],
  ]);
  assert.deepEqual(p.fields, [
    { key: 'f', type: FieldType.Float, value: 1.5 },
    { key: 'i', type: FieldType.Integer, value: -42 },
    { key: 'u', type: FieldType.Unsigned, value: 42 },
    { key: 'b', type: FieldType.Boolean, value: 1 },
    { key: 's', type: FieldType.String, value: 'hi' },
  ]);
  assert.equal(p.timestamp, 1700000000123);
});

test('escaping in measurement, tag keys and values, field keys and string values', () => {
  const p = one(
    'my\\ meas\\,ure=x,t\\ a\\,g\\=k=v\\ a\\,l\\=ue,plain=C:\\path f\\ i\\,e\\=ld=1,s="say \\"hi\\" \\\\ and \\n" 0',
  );
  assert.equal(p.measurement, 'my meas,ure=x');
  assert.deepEqual(p.tags, [
    ['t a,g=k', 'v a,l=ue'],
    ['plain', 'C:\\path'],
  ]);
  assert.equal(p.fields[0].key, 'f i,e=ld');
  assert.equal(p.fields[1].value, 'say "hi" \\ and \\n');
  assert.equal(p.timestamp, 0);
  // A string value may hold commas, spaces and equals signs unescaped.
  assert.equal(one('m s="a, b=c d" 1').fields[0].value, 'a, b=c d');
  // Double backslash in names is one backslash.
  assert.equal(one('a\\\\b f=1').measurement, 'a\\b');
});

test('numbers: floats with exponents, integer and unsigned limits', () => {
  const vals = one('m a=1,b=-1.5,c=.5,d=1.,e=1e3,f=-2.5E-3,g=6.02e+23,h=0').fields.map((f) => f.value);
  assert.deepEqual(vals, [1, -1.5, 0.5, 1, 1000, -0.0025, 6.02e23, 0]);
  assert.deepEqual(
    one('m a=9223372036854775807i,b=-9223372036854775808i,c=18446744073709551615u,d=007i').fields.map(
      (f) => f.value,
    ),
    [Number(2n ** 63n - 1n), -Number(2n ** 63n), Number(2n ** 64n - 1n), 7],
  );
  assert.match(error('m a=9223372036854775808i').message, /line 1: field "a": integer .* int64/);
  assert.match(error('m a=-9223372036854775809i').message, /int64/);
  assert.match(error('m a=18446744073709551616u').message, /uint64/);
  assert.match(error('m a=-1u').message, /invalid unsigned/);
  for (const bad of ['1.2.3', 'abc', 'NaN', 'Inf', '+1', '1e', '-', '.', '1x', '1ei', '1.5i', '0x10'])
    assert.match(error(`m a=${bad}`).message, /field "a": invalid/, bad);
  assert.match(error('m a=1e400').message, /out of range/);
});

test('booleans: every spelling InfluxDB takes', () => {
  const line = 'm a=t,b=T,c=true,d=True,e=TRUE,f=f,g=F,h=false,i=False,j=FALSE';
  assert.deepEqual(
    one(line).fields.map((f) => [f.type, f.value]),
    [...Array(5).fill([FieldType.Boolean, 1]), ...Array(5).fill([FieldType.Boolean, 0])],
  );
  for (const bad of ['tRUE', 'yes', 'ture', 'falsey', 'trueee'])
    assert.match(error(`m a=${bad}`).message, /invalid (boolean|number)/, bad);
});

test('precision: timestamps are converted to ms (floored), v1 and v2 names', () => {
  assert.equal(one('m f=1 1700000000123999999', 'ns').timestamp, 1700000000123);
  assert.equal(one('m f=1 1700000000123999', 'us').timestamp, 1700000000123);
  assert.equal(one('m f=1 1700000000123', 'ms').timestamp, 1700000000123);
  assert.equal(one('m f=1 1700000000', 's').timestamp, 1700000000000);
  assert.equal(one('m f=1 28333333', 'm').timestamp, 28333333 * 60000);
  assert.equal(one('m f=1 472222', 'h').timestamp, 472222 * 3600000);
  assert.equal(one('m f=1 -1500000', 'ns').timestamp, -2);
  assert.equal(one('m f=1 -1000000', 'ns').timestamp, -1);
  assert.equal(one('m f=1 999999', 'ns').timestamp, 0);
  assert.equal(one('m f=1 -0', 'ns').timestamp, 0);
  assert.equal(one('m f=1 9223372036854775806', 'ns').timestamp, 9223372036854);
  assert.match(error('m f=1 99999999999999999999999').message, /timestamp .* out of range/);
  assert.match(error('m f=1 9223372036855', 'ms').message, /out of range/);
  assert.match(error('m f=1 12.5').message, /invalid timestamp/);
  assert.match(error('m f=1 1 2').message, /unexpected text after the timestamp/);
  assert.equal(one('m f=1').timestamp, undefined);

  assert.equal(parsePrecision(undefined, 'v1'), 'ns');
  assert.equal(parsePrecision('', 'v2'), 'ns');
  for (const [raw, v1, v2] of [
    ['n', 'ns', undefined],
    ['ns', 'ns', 'ns'],
    ['u', 'us', undefined],
    ['us', 'us', 'us'],
    ['ms', 'ms', 'ms'],
    ['s', 's', 's'],
    ['m', 'm', undefined],
    ['h', 'h', undefined],
    ['d', undefined, undefined],
  ] as const) {
    assert.equal(parsePrecision(raw, 'v1'), v1, raw);
    assert.equal(parsePrecision(raw, 'v2'), v2, raw);
  }
});

test('blank lines, comments, CRLF, extra spaces; line numbers in errors', () => {
  const text =
    '# header\r\n\r\n   \nm,t=a f=1 1000000\r\n  # indented comment\nm  f=2   2000000  \r\n\tm f=3';
  const pts = parseLineProtocol(text);
  assert.deepEqual(
    pts.map((p) => [p.line, p.fields[0].value, p.timestamp]),
    [
      [4, 1, 1],
      [6, 2, 2],
      [7, 3, undefined],
    ],
  );
  // scan continues past bad lines and reports each with its number
  const errors: string[] = [];
  const good: number[] = [];
  scanLineProtocol(
    'ok f=1\nbad\nok f=2\nm f="open\r\nm,t= f=1\nok f=3',
    {},
    (p) => good.push(p.line),
    (e) => errors.push(e.message),
  );
  assert.deepEqual(good, [1, 3, 6]);
  assert.deepEqual(errors, [
    'line 2: missing fields after measurement "bad"',
    'line 4: field "f": unterminated string (missing closing quote)',
    'line 5: tag "t" has an empty value',
  ]);
  // firstLine: a text cut out of a body keeps the body's line numbers.
  const numbered: string[] = [];
  scanLineProtocol(
    'ok f=1\nbad',
    { firstLine: 41 },
    (p) => numbered.push(`point ${p.line}`),
    (e) => numbered.push(e.message),
  );
  assert.deepEqual(numbered, ['point 41', 'line 42: missing fields after measurement "bad"']);
  // One LineProtocolScanner for text after text reads each as scanLineProtocol does.
  const reused = new LineProtocolScanner();
  const texts = ['a,t=1 f=1,g="s" 5', 'b x=2i', 'bad', 'c\\ d,u=v\\,w y=t 7000000'];
  for (const t of texts) {
    const got: unknown[] = [];
    const want: unknown[] = [];
    reused.scan(
      t,
      { precision: 'ms' },
      (p) => got.push(clonePoint(p)),
      (e) => got.push(e.message),
    );
    scanLineProtocol(
      t,
      { precision: 'ms' },
      (p) => want.push(clonePoint(p)),
      (e) => want.push(e.message),
    );
    assert.deepEqual(got, want, t);
  }
});

test('malformed lines say what is wrong', () => {
  const cases: [string, RegExp][] = [
    ['m', /missing fields after measurement "m"/],
    ['m,t=a', /missing fields/],
    [',t=a f=1', /missing measurement/],
    [' f=1', /missing fields after measurement "f=1"/],
    ['m,t f=1', /tag "t" has no "=value"/],
    ['m,=a f=1', /empty tag key/],
    ['m,t= f=1', /tag "t" has an empty value/],
    ['m f', /field "f" has no "=value"/],
    ['m =1', /empty field key/],
    ['m f=', /field "f": missing value/],
    ['m f=1,', /field "" has no "=value"/],
    ['m f="x"y', /unexpected text after the value/],
    ['m f="abc', /unterminated string/],
    ['m f="abc\\"', /unterminated string/],
  ];
  for (const [line, re] of cases) assert.match(error(line).message, re, line);
  assert.equal(error('ok f=1\n\nm f').line, 3);
});

test('maxLineBytes: long lines are errors, counted in UTF-8 bytes', () => {
  const errs: LineProtocolError[] = [];
  const ok: number[] = [];
  scanLineProtocol(
    `m f=1\nm s="${'é'.repeat(40)}"\nm s="${'x'.repeat(40)}"`,
    { maxLineBytes: 60 },
    (p) => ok.push(p.line),
    (e) => errs.push(e),
  );
  assert.deepEqual(ok, [1, 3]);
  assert.equal(errs.length, 1);
  assert.equal(errs[0].message, 'line 2: line is longer than 60 bytes');
});

// ---- property tests ----

const nameChars = fc.constantFrom('a', 'Z', '0', '_', ' ', ',', '=', '\\', '"', 'é', '-', '.', '#', '😀');
const name = fc.string({ unit: nameChars, minLength: 1, maxLength: 12 });
// A name may not end in a lone backslash-escaped… no: any name round-trips since `\` is escaped.
const measurement = name.filter((s) => !/^[ \t]*#/.test(s) && !/^[ \t]/.test(s));
const stringValue = fc.string({
  unit: fc.constantFrom('a', ' ', ',', '=', '\\', '"', 'é', 'x', '\t'),
  maxLength: 16,
});
const field: fc.Arbitrary<TestField> = fc.oneof(
  fc
    .double({ noNaN: true, noDefaultInfinity: true })
    .map((v) => ({ key: '', type: FieldType.Float, value: v })),
  fc
    .bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n })
    .map((v) => ({ key: '', type: FieldType.Integer, value: v })),
  fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }).map((v) => ({ key: '', type: FieldType.Unsigned, value: v })),
  fc.integer({ min: 0, max: 1 }).map((v) => ({ key: '', type: FieldType.Boolean, value: v })),
  stringValue.map((v) => ({ key: '', type: FieldType.String, value: v })),
);
const point: fc.Arbitrary<TestPoint> = fc.record({
  measurement,
  tags: fc.array(fc.tuple(name, name), { maxLength: 4 }),
  fields: fc
    .array(fc.tuple(name, field), { minLength: 1, maxLength: 5 })
    .map((fs) => fs.map(([key, f]) => ({ ...f, key }))),
  timestamp: fc.option(fc.bigInt({ min: -(2n ** 62n), max: 2n ** 62n }), { nil: undefined }),
});

test('property: serialise → parse gives the same points', () => {
  fc.assert(
    fc.property(
      fc.array(point, { minLength: 1, maxLength: 5 }),
      fc.nat(),
      fc.boolean(),
      (pts, variant, crlf) => {
        const text = pts.map((p) => serializePoint(p, variant)).join(crlf ? '\r\n' : '\n');
        const parsed = parseLineProtocol(text, { precision: 'ns' });
        assert.equal(parsed.length, pts.length);
        parsed.forEach((got, i) => {
          const want = pts[i];
          assert.equal(got.measurement, want.measurement);
          assert.deepEqual(got.tags, want.tags);
          assert.deepEqual(
            got.fields.map((f) => [f.key, f.type, f.value]),
            want.fields.map((f) => [f.key, f.type, typeof f.value === 'bigint' ? Number(f.value) : f.value]),
          );
          const ns = want.timestamp;
          assert.equal(got.timestamp, ns === undefined ? undefined : Number(floorDiv(ns, 1_000_000n)));
        });
      },
    ),
    { numRuns: 500 },
  );
});

const floorDiv = (a: bigint, b: bigint) => (a >= 0n ? a / b : -((-a + b - 1n) / b));

const isParseError = (err: unknown) => err instanceof LineProtocolError;

test('property: random text never throws anything but LineProtocolError', () => {
  const soup = fc.string({
    unit: fc.constantFrom(
      'm',
      'f',
      '=',
      ',',
      ' ',
      '"',
      '\\',
      '\n',
      '\r',
      '1',
      'i',
      'u',
      '.',
      'e',
      '-',
      't',
      '#',
      'é',
    ),
    maxLength: 60,
  });
  fc.assert(
    fc.property(
      fc.oneof(soup, fc.string({ unit: 'binary', maxLength: 60 })),
      fc.constantFrom<Precision>('ns', 'us', 'ms', 's', 'm', 'h'),
      (text, precision) => {
        try {
          parseLineProtocol(text, { precision, maxLineBytes: 40 });
        } catch (err) {
          if (!isParseError(err)) throw err;
        }
      },
    ),
    { numRuns: 3000 },
  );
});

test('property: random bytes and mutations of valid lines never throw anything but LineProtocolError', () => {
  const mutated = fc
    .tuple(
      point,
      fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 }), fc.boolean()), { maxLength: 4 }),
    )
    .map(([p, edits]) => {
      const bytes = [...Buffer.from(serializePoint(p))];
      for (const [at, b, insert] of edits) {
        const i = at % (bytes.length + 1);
        if (insert) bytes.splice(i, 0, b);
        else if (bytes.length > 0) bytes[i % bytes.length] = b;
      }
      return Buffer.from(bytes);
    });
  fc.assert(
    fc.property(
      fc.oneof(
        mutated,
        fc.uint8Array({ maxLength: 80 }).map((a) => Buffer.from(a)),
      ),
      (bytes) => {
        const errors: LineProtocolError[] = [];
        scanLineProtocol(
          bytes.toString('utf8'),
          {},
          () => {},
          (e) => errors.push(e),
        );
        for (const e of errors) assert.ok(e.line >= 1 && e.reason.length > 0);
        try {
          parseLineProtocol(bytes.toString('utf8'));
        } catch (err) {
          if (!isParseError(err)) throw err;
        }
      },
    ),
    { numRuns: 3000 },
  );
});
