// `telemux test promql` as a user runs it: a child process on script files, its output and exit code.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const exec = promisify(execFile);
const CLI = fileURLToPath(new URL('../../../src/cli.ts', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'telemux-promqltest-'));

async function telemux(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await exec(process.execPath, ['--import', 'tsx', CLI, ...args]);
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

const good = join(dir, 'good.test');
writeFileSync(
  good,
  'load 1m\n  up{job="a"} 1+1x5\n  h {{count:1}}\n\neval instant at 2m up\n  up{job="a"} 3\n\neval instant at 0 h\n',
);
const bad = join(dir, 'bad.test');
writeFileSync(bad, 'load 1m\n  up 1\n\neval instant at 0 up\n  up 2\n\neval instant at 0 up\n  up 1\n');

describe('telemux test promql', () => {
  it('reports per file and exits 0 when nothing failed', async () => {
    const r = await telemux('test', 'promql', good);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /good\.test: 1 passed, 0 failed, 1 skipped\n/);
    assert.match(r.stdout, /skipped 1 × native histograms: .* \(line 8\)/);
    assert.equal(r.stdout.trimEnd().split('\n').at(-1), '1 passed, 0 failed');
  });

  it('exits 1 on a failure, naming file, line, query and why', async () => {
    const r = await telemux('test', 'promql', good, bad);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /FAIL .*bad\.test:4: up\n\s+expected 2 for \{__name__="up"\} but got 1/);
    assert.equal(r.stdout.trimEnd().split('\n').at(-1), '2 passed, 1 failed');
  });

  it('runs the *.test files of a directory and accepts a minimum pass ratio', async () => {
    assert.equal((await telemux('test', 'promql', '--min-pass-ratio=0.6', dir)).code, 0);
    assert.equal((await telemux('test', 'promql', '--min-pass-ratio=0.7', dir)).code, 1);
  });

  it('exits 2 for usage errors and unreadable files', async () => {
    assert.equal((await telemux('test', 'promql')).code, 2);
    assert.equal((await telemux('test', 'promql', '--min-pass-ratio=2', good)).code, 2);
    assert.equal((await telemux('test', 'promql', join(dir, 'missing.test'))).code, 2);
    assert.equal((await telemux('test', 'nothing')).code, 2);
  });
});
