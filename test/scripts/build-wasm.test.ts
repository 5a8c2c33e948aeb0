// The committed WebAssembly modules are what their text assembles to: a change to a `.wat` file
// that was not followed by `npm run wasm` fails here.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { test } from 'node:test';
import { generatedModule, generatedPath, watSources } from '../../scripts/build-wasm.ts';

test('every src/**/*.wat has its generated module, up to date', async () => {
  const sources = watSources();
  assert.ok(sources.length > 0);
  for (const wat of sources) {
    const committed = readFileSync(generatedPath(wat), 'utf8');
    assert.equal(committed, await generatedModule(wat), `${relative(process.cwd(), wat)}: run npm run wasm`);
  }
});
