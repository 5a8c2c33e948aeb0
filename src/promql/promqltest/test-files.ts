// Finding and running script files: a directory stands for the `*.test` files directly in it.

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { FileResults } from './report.ts';
import { runScript, type TestEngine } from './runner.ts';

/** The script files named by `paths`, directories expanded to their `*.test` files in name order. */
export function expandTestFiles(paths: readonly string[]): string[] {
  const out: string[] = [];
  for (const p of paths) {
    if (statSync(p).isDirectory()) {
      const names = readdirSync(p)
        .filter((n) => n.endsWith('.test'))
        .sort();
      for (const n of names) out.push(join(p, n));
    } else out.push(p);
  }
  return out;
}

export async function runTestFile(path: string, engine: TestEngine, label = path): Promise<FileResults> {
  const text = readFileSync(path, 'utf8');
  return { file: label, results: await runScript(text, label, engine) };
}
