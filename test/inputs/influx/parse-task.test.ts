// The Influx parse task reads bodies as bytes, taking known series by their bytes and everything else
// through the full parser line by line. What it answers must be exactly what parsing the whole body
// as text with the full parser gives (the path it replaced): the same rows, in the same order, the
// same string and bad-line counts and the same first error.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { FieldType, type Precision, scanLineProtocol } from '../../../src/format/influx/index.ts';
import type { SeriesDefinitions } from '../../../src/inputs/decoding/series-ids.ts';
import { SeriesLabeler } from '../../../src/inputs/influx/mapping.ts';
import {
  createTaskHandler,
  type InfluxBatch,
  type InfluxTask,
} from '../../../src/inputs/influx/parse-task.ts';

const NOW = 1_700_000_000_000;

interface Parsed {
  /** Per sample: its label set (flat, as JSON), timestamp and value. */
  readonly rows: [string, number, number][];
  readonly strings: number;
  readonly badLines: number;
  readonly firstBad: string | undefined;
}

type Request = Pick<InfluxTask, 'db' | 'precision' | 'maxLineBytes'>;

/** The whole body decoded and read by the full parser, mapped field by field (the former path). */
function reference(body: Buffer, req: Request): Parsed {
  const labeler = new SeriesLabeler();
  const rows: [string, number, number][] = [];
  let strings = 0;
  let badLines = 0;
  let firstBad: string | undefined;
  const bad = (message: string) => {
    badLines++;
    firstBad ??= message;
  };
  scanLineProtocol(
    body.toString('utf8'),
    { precision: req.precision, maxLineBytes: req.maxLineBytes },
    (p) => {
      let begun = false;
      fields: for (let i = 0; i < p.fieldCount; i++) {
        if (p.fieldTypes[i] === FieldType.String) {
          strings++;
          continue;
        }
        for (let k = i + 1; k < p.fieldCount; k++) if (p.fieldKeys[k] === p.fieldKeys[i]) continue fields;
        if (!begun) {
          const problem = labeler.begin(p.tagKeys, p.tagValues, p.tagCount, req.db);
          if (problem !== undefined) return bad(`line ${p.line}: ${problem}`);
          begun = true;
        }
        const labels = labeler.labels(p.measurement, p.fieldKeys[i]);
        rows.push([JSON.stringify(labels.toFlat()), p.timestamp ?? NOW, p.fieldValues[i]]);
      }
    },
    (err) => bad(err.message),
  );
  return { rows, strings, badLines, firstBad };
}

/** The label sets behind a handler's ids, from the definitions its answers carry (as SeriesTable keeps them). */
class Definitions {
  #generation = -1;
  #names: string[] = [];

  take(defs: SeriesDefinitions): void {
    if (defs.generation !== this.#generation) {
      this.#generation = defs.generation;
      this.#names = [];
    }
    assert.equal(defs.first, this.#names.length, 'ids are defined in order, none skipped');
    for (const flat of defs.labels) this.#names.push(JSON.stringify(flat));
  }

  name(id: number): string {
    const name = this.#names[id];
    assert.ok(name !== undefined, `series id ${id} was never defined`);
    return name;
  }
}

/** Runs the task on `body` and resolves its rows to label sets. */
function parseWith(
  handler: ReturnType<typeof createTaskHandler>,
  defs: Definitions,
  body: Buffer,
  req: Request,
  gzip = false,
): Parsed & { fresh: number } {
  const task: InfluxTask = {
    ...req,
    body: gzip ? gzipSync(body) : body,
    gzip,
    maxDecompressedBytes: 1 << 30,
    defaultTs: NOW,
  };
  const batch = handler(task).value as InfluxBatch;
  defs.take(batch.defs);
  assert.ok(batch.ok);
  const rows: [string, number, number][] = [];
  for (let i = 0; i < batch.ids.length; i++)
    rows.push([defs.name(batch.ids[i]), batch.timestamps[i], batch.values[i]]);
  return {
    rows,
    strings: batch.strings,
    badLines: batch.badLines,
    firstBad: batch.firstBad,
    fresh: batch.defs.labels.length,
  };
}

function assertSame(got: Parsed, want: Parsed, what: string): void {
  // deepStrictEqual compares numbers with Object.is: -0 and 0 differ.
  assert.deepStrictEqual(got.rows, want.rows, what);
  assert.equal(got.strings, want.strings, what);
  assert.equal(got.badLines, want.badLines, what);
  assert.equal(got.firstBad, want.firstBad, what);
}

test('a body of every kind of line: same rows, counts and first error as the full parser, twice', () => {
  const body = Buffer.from(
    [
      '# a comment',
      'cpu,host=a usage=1.5,idle=3i,on=true,note="x, y" 1700000000000',
      '',
      'cpu,host=a usage=2 1700000001000\r',
      'cpu,host=a  usage=2.5,idle=4i 1700000002000', // two spaces: the same series
      'c\\pu,host=a v=1', // `\p` is a backslash and p ...
      'c\\\\pu,host=a v=2', // ... as `\\p` is: the same measurement
      'cpu,host=a\\=b v=3', // `\=` in a tag value is `=`: the same as ...
      'cpu,host=a=b v=4',
      'cpu,a-b=1,a_b=2 v=5', // two tags, one label name: a bad line
      'cpu,a-b=1,a_b=2 s="only strings: fine"',
      'cpu,host=a v=1,v=2', // the last wins
      'cpu,host v=1', // a bad tag, after which a good line with the same fields
      'cpu,host s="x"', // a bad tag on a line of strings only (no key vouches for it)
      'cpu,host=z v=-0 -1500',
      'mem,db=other used=1u',
      'nonsense',
    ].join('\n'),
  );
  const handler = createTaskHandler();
  const defs = new Definitions();
  for (const precision of ['ms', 'ns'] as const) {
    const req = { db: 'telegraf', precision, maxLineBytes: 1 << 20 };
    const want = reference(body, req);
    assert.equal(want.badLines, 4);
    assert.equal(want.firstBad, 'line 10: tags "a_b" and "a_b" map to the same label "a_b"');
    assertSame(parseWith(handler, defs, body, req), want, `first pass, ${precision}`);
    const again = parseWith(handler, defs, body, req);
    assertSame(again, want, `second pass, ${precision}`);
    assert.equal(again.fresh, 0, 'no new series the second time');
  }
  // Gzipped, the same.
  const req = { db: 'telegraf', precision: 'ms' as const, maxLineBytes: 1 << 20 };
  assertSame(parseWith(handler, defs, body, req, true), reference(body, req), 'gzip');
});

test('line numbers and the length limit are the full parser’s, on whichever path a line takes', () => {
  const handler = createTaskHandler();
  const defs = new Definitions();
  const long = `cpu,host=a v=1,w=${'9'.repeat(60)}`;
  // Invalid UTF-8: 1 byte here, 3 once decoded (U+FFFD), which is what the limit counts; in a key
  // and in a tag value (which the byte scanner does not look at).
  const invalidKey = Buffer.concat([
    Buffer.from('cpu,host=a v=1,x'),
    Buffer.alloc(20, 0xff),
    Buffer.from('=2'),
  ]);
  const invalidTag = Buffer.concat([Buffer.from('cpu,host='), Buffer.alloc(20, 0xff), Buffer.from(' v=1')]);
  const body = Buffer.concat([
    Buffer.from(`cpu,host=a v=1\n\n${long}\r\nbad\n`),
    invalidKey,
    Buffer.from('\n'),
    invalidTag,
  ]);
  // Lines are learnt under a large limit first, so that under the small ones they are known.
  for (const maxLineBytes of [1000, 30, 40, 60]) {
    const req = { db: '', precision: 'ns' as const, maxLineBytes };
    for (let pass = 0; pass < 2; pass++)
      assertSame(
        parseWith(handler, defs, body, req),
        reference(body, req),
        `max ${maxLineBytes}, pass ${pass}`,
      );
  }
  const req = { db: '', precision: 'ns' as const, maxLineBytes: 40 };
  assert.match(reference(body, req).firstBad ?? '', /^line 3: line is longer than 40 bytes$/);
  assert.equal(reference(body, req).badLines, 4);
});

// Random bodies: series spelled several ways (some only escaping apart), several dbs, fields of every
// type, bad lines of every kind, CRLF, blank lines and invalid UTF-8.
const pick = <T>(...xs: T[]) => fc.constantFrom(...xs);
/** Stand-ins for the raw bytes 0xFF and 0xFE (invalid UTF-8), see latin1Utf8. */
const FF = '\u00ff';
const FE = '\u00fe';
const series = pick(
  'cpu,host=a',
  'cpu,host=b',
  'cpu,host=a,region=eu',
  'c\\pu,host=a',
  'c\\\\pu,host=a',
  'cpu,host=a\\=b',
  'cpu,host=a=b',
  'cpu,host=x\\ y',
  'mem',
  'mem,db=other',
  'ü,t=ö',
  `m${FF},t=1`,
  `m${FE},t=1`,
  'cpu,a-b=1,a_b=2',
  'cpu,host=a,',
  ',host=a',
  'cpu,host',
  'cpu,host=a\tb',
);
const key = pick('v', 'usage', 'idle', 'ü', 'v\\ x', 'k\tx', `k${FF}`, `k${FE}`, 'v', 'usage');
const value = pick(
  '1',
  '-0',
  '2.5',
  '0.30000000000000004',
  '1e3',
  '42i',
  '-7i',
  '3u',
  't',
  'false',
  '"s"',
  '"a,b c"',
  'bad',
  '',
  '12345678901234567890i',
  '1234567890123456',
);
const timestamp = pick(
  '',
  '',
  ' 1700000000000',
  ' 1700000000000123',
  ' -1500',
  ' 99999999999999999999',
  ' 12x',
  '  17000  ',
  ' ',
);
const line = fc.oneof(
  {
    weight: 8,
    arbitrary: fc
      .tuple(
        pick('', '', '', ' '),
        series,
        pick(' ', ' ', '  '),
        fc.array(fc.tuple(key, value), { minLength: 1, maxLength: 4 }),
        timestamp,
      )
      .map(
        ([lead, s, sep, fields, ts]) =>
          `${lead}${s}${sep}${fields.map(([k, v]) => `${k}=${v}`).join(',')}${ts}`,
      ),
  },
  { weight: 1, arbitrary: pick('', '# comment', '   ', 'junk', 'cpu,host=a', '\r') },
);
const body = fc
  .tuple(fc.array(fc.tuple(line, pick('\n', '\n', '\r\n')), { maxLength: 25 }), fc.boolean())
  .map(([lines, lastEnding]) => {
    let text = lines.map(([l, end]) => l + end).join('');
    if (!lastEnding && text.endsWith('\n')) text = text.slice(0, -1);
    return latin1Utf8(text);
  });

/** The text as UTF-8, except that the chars standing for raw bytes 0xFE/0xFF stay single (invalid) bytes. */
function latin1Utf8(text: string): Buffer {
  const parts: Buffer[] = [];
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0xff || c === 0xfe) {
      parts.push(Buffer.from(text.slice(from, i)), Buffer.from([c]));
      from = i + 1;
    }
  }
  parts.push(Buffer.from(text.slice(from)));
  return Buffer.concat(parts);
}

const request = fc.record({
  db: pick('', 'a', 'b', 'a b'),
  precision: pick<Precision>('ns', 'us', 'ms', 's', 'm', 'h'),
  maxLineBytes: pick(1 << 20, 1 << 20, 48),
});

for (const [name, maxSeriesIds] of [
  ['property: random bodies to several dbs, each twice: the same answers as the full parser', undefined],
  ['property: the same while series ids start over every few series (new generations)', 6],
] as const)
  test(name, () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(body, request), { minLength: 1, maxLength: 6 }), (requests) => {
        const handler = createTaskHandler(maxSeriesIds);
        const defs = new Definitions();
        for (const [b, req] of requests) {
          const want = reference(b, req);
          for (let pass = 0; pass < 2; pass++)
            assertSame(
              parseWith(handler, defs, b, req),
              want,
              `pass ${pass}: ${JSON.stringify(b.toString('latin1'))}`,
            );
        }
      }),
      { numRuns: 300 },
    );
  });
