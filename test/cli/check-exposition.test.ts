// `telemux check exposition` as a user runs it: files, stdin, exit codes, line-numbered errors.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { CLI } from '../helpers/telemux-process.ts';

const dir = mkdtempSync(join(tmpdir(), 'telemux-check-'));

function check(
  args: string[],
  stdin?: string,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, 'check', 'exposition', ...args]);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin ?? '');
  });
}

const GOOD_TEXT = '# HELP jobs_total Jobs.\n# TYPE jobs_total counter\njobs_total{queue="a"} 3\n';
const GOOD_OM = '# TYPE jobs counter\n# HELP jobs Jobs.\njobs_total{queue="a"} 3\n# EOF\n';

test('a valid text 0.0.4 file passes', async () => {
  const file = join(dir, 'good.prom');
  writeFileSync(file, GOOD_TEXT);
  const r = await check([file]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /SUCCESS/);
});

test('a valid OpenMetrics document passes from stdin with --openmetrics', async () => {
  const r = await check(['--openmetrics', '-'], GOOD_OM);
  assert.equal(r.code, 0, r.stderr);
});

test('an invalid document fails with the line number and what is wrong', async () => {
  const r = await check(['-'], `${GOOD_TEXT}jobs_total{queue="b} 4\n`);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /^<stdin>:4: error: .*label "queue"/m);
});

test('OpenMetrics without # EOF fails; the same text passes as text 0.0.4', async () => {
  const doc = '# TYPE jobs counter\njobs_total 3\n';
  const om = await check(['--openmetrics', '-'], doc);
  assert.equal(om.code, 1);
  assert.match(om.stderr, /EOF/);
  const text = await check(['-'], doc);
  assert.equal(text.code, 0, text.stderr);
});

test('a missing file is a usage error (exit 2), not a crash', async () => {
  const r = await check([join(dir, 'nope.prom')]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /cannot read/);
  const none = await check([]);
  assert.equal(none.code, 2);
});

// Acceptance: every OpenMetrics conformance case (../shared/conformance/openmetrics) classified by
// the real command, in one run over all the files.
test('check exposition --openmetrics classifies every OpenMetrics conformance case', async () => {
  const root = fileURLToPath(new URL('../../../shared/conformance/openmetrics/', import.meta.url));
  const cases = readdirSync(root, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => {
      const spec = JSON.parse(readFileSync(join(root, d.name, 'test.json'), 'utf8'));
      return { file: join(root, d.name, spec.file ?? 'metrics'), shouldParse: spec.shouldParse as boolean };
    });
  assert.ok(cases.length > 0);
  const r = await check(['--openmetrics', ...cases.map((c) => c.file)]);
  const verdicts = new Map(
    r.stdout
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => {
        const i = l.lastIndexOf(': ');
        return [l.slice(0, i), l.slice(i + 2)] as const;
      }),
  );
  const wrong = cases.filter((c) => verdicts.get(c.file) !== (c.shouldParse ? 'SUCCESS' : 'FAILED'));
  console.log(
    `openmetrics conformance via telemux check exposition: ${cases.length - wrong.length}/${cases.length} passed`,
  );
  assert.deepEqual(
    wrong.map((c) => c.file),
    [],
  );
  assert.equal(r.code, cases.some((c) => !c.shouldParse) ? 1 : 0);
});

test('several files: one verdict each, exit 1 when any fails', async () => {
  const good = join(dir, 'a.prom');
  const bad = join(dir, 'b.prom');
  writeFileSync(good, GOOD_TEXT);
  writeFileSync(bad, 'x{ 1\n');
  const r = await check([good, bad]);
  assert.equal(r.code, 1);
  assert.match(r.stdout, new RegExp(`${good}: SUCCESS\\n${bad}: FAILED\\n`));
  assert.match(r.stderr, new RegExp(`${bad}:1: error: `));
});
