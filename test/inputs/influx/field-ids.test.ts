import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ByteLineScanner } from '../../../src/format/influx/byte-scanner.ts';
import { FieldIds, TextFieldIds } from '../../../src/inputs/influx/field-ids.ts';

/** Scans `line` and looks its numeric fields up: their ids (-1 unknown) and whether all are known. */
function lookUp(
  ids: FieldIds,
  line: string,
): { buf: Buffer; scanner: ByteLineScanner; found: number[]; all: boolean } {
  const buf = Buffer.from(line);
  const scanner = new ByteLineScanner();
  assert.ok(scanner.scan(buf, 0, buf.length) && !scanner.blank, line);
  const out = new Int32Array(64).fill(-9);
  const all = ids.find(buf, scanner, out);
  const found: number[] = [];
  for (let i = 0; i < scanner.fieldCount; i++) if (scanner.isString[i] === 0) found.push(out[i]);
  return { buf, scanner, found, all };
}

test('a field is known by its series and key bytes, whether alone on its line or with others', () => {
  const ids = new FieldIds();
  ids.begin('db1', false);
  const first = lookUp(ids, 'cpu,host=a usage=1,idle=2 5');
  assert.deepEqual(first.found, [-1, -1]);
  assert.equal(first.all, false);
  ids.add(first.buf, first.scanner, 0, 10);
  ids.add(first.buf, first.scanner, 1, 11);
  assert.deepEqual(lookUp(ids, 'cpu,host=a usage=3,idle=4').found, [10, 11]);
  assert.equal(lookUp(ids, 'cpu,host=a idle=4,usage=3').all, true);
  // Alone on its line, the field is looked up by the line's own bytes: the same key with one space.
  assert.deepEqual(lookUp(ids, 'cpu,host=a idle=7 9').found, [11]);
  // With more spaces, other bytes (not known yet: the full parser reads it once, the same id results).
  assert.deepEqual(lookUp(ids, 'cpu,host=a   idle=7').found, [-1]);
  // Other series, other fields, strings.
  assert.deepEqual(lookUp(ids, 'cpu,host=b usage=1').found, [-1]);
  assert.deepEqual(lookUp(ids, 'cpu,host=a usage=1,other=2').found, [10, -1]);
  assert.deepEqual(lookUp(ids, 'cpu,host=a s="x",usage=1').found, [10]);
  assert.equal(lookUp(ids, 'cpu,host=a s="x",usage=1').all, true);
  // A line of strings only has no key that vouches for its measurement and tags.
  assert.equal(lookUp(ids, 'cpu,host=a s="x"').all, false);
});

test('one table per db; a new generation of ids forgets them all', () => {
  const ids = new FieldIds();
  ids.begin('a', false);
  const line = lookUp(ids, 'm v=1');
  ids.add(line.buf, line.scanner, 0, 1);
  ids.begin('b', false);
  assert.deepEqual(lookUp(ids, 'm v=1').found, [-1]);
  const inB = lookUp(ids, 'm v=1');
  ids.add(inB.buf, inB.scanner, 0, 2);
  ids.begin('a', false);
  assert.deepEqual(lookUp(ids, 'm v=1').found, [1]);
  ids.begin('b', false);
  assert.deepEqual(lookUp(ids, 'm v=1').found, [2]);
  ids.begin('a', true);
  assert.deepEqual(lookUp(ids, 'm v=1').found, [-1]);
  ids.begin('b', false);
  assert.deepEqual(lookUp(ids, 'm v=1').found, [-1]);
});

test('past 8 dbs, the oldest table goes', () => {
  const ids = new FieldIds();
  for (let db = 0; db < 9; db++) {
    ids.begin(`db${db}`, false);
    const line = lookUp(ids, 'm v=1');
    ids.add(line.buf, line.scanner, 0, db);
  }
  ids.begin('db1', false);
  assert.deepEqual(lookUp(ids, 'm v=1').found, [1]);
  ids.begin('db0', false);
  assert.deepEqual(lookUp(ids, 'm v=1').found, [-1]);
});

test('long series and keys grow the scratch space', () => {
  const ids = new FieldIds();
  ids.begin('', false);
  const series = `m,t=${'x'.repeat(2000)}`;
  const line = lookUp(ids, `${series} ${'k'.repeat(700)}=1,b=2`);
  ids.add(line.buf, line.scanner, 0, 5);
  ids.add(line.buf, line.scanner, 1, 6);
  assert.deepEqual(lookUp(ids, `${series} b=3,${'k'.repeat(700)}=4`).found, [6, 5]);
  assert.deepEqual(lookUp(ids, `${series} ${'k'.repeat(699)}=4`).found, [-1]);
});

test('TextFieldIds: by db, field and series text; forgets on a new generation and past its bound', () => {
  const ids = new TextFieldIds();
  ids.begin('a', false);
  ids.add('v', 'm,t=x\\ y', 1);
  assert.equal(ids.find('v', 'm,t=x\\ y'), 1);
  assert.equal(ids.find('w', 'm,t=x\\ y'), -1);
  ids.begin('b', false);
  assert.equal(ids.find('v', 'm,t=x\\ y'), -1);
  ids.add('v', 'm,t=x\\ y', 2);
  ids.begin('a', false);
  assert.equal(ids.find('v', 'm,t=x\\ y'), 1);
  ids.begin('a', true);
  assert.equal(ids.find('v', 'm,t=x\\ y'), -1);
  // Past 100,000 keys it starts over, and goes on working for the current db.
  for (let i = 0; i <= 100_000; i++) ids.add('v', `s${i}`, i);
  assert.equal(ids.find('v', 's0'), -1);
  assert.equal(ids.find('v', 's100000'), 100_000);
  ids.add('v', 'again', 7);
  assert.equal(ids.find('v', 'again'), 7);
});
