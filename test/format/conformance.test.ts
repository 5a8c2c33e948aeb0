// The OpenMetrics parser test cases (OpenObservability/OpenMetrics tests/testdata/parsers), as
// shipped next to the checkout in ../shared: every case must be accepted or rejected as it says.

import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { checkExposition } from '../../src/format/exposition/check.ts';

const root = new URL('../../../shared/conformance/openmetrics/', import.meta.url);

interface CaseSpec {
  readonly type: string;
  readonly file?: string;
  readonly shouldParse: boolean;
}

test('OpenMetrics conformance cases', async (t) => {
  const dirs = readdirSync(root, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
  assert.ok(dirs.length > 0, `no conformance cases under ${root.pathname}`);
  let passed = 0;
  for (const dir of dirs) {
    await t.test(dir, () => {
      const spec = JSON.parse(readFileSync(new URL(`${dir}/test.json`, root), 'utf8')) as CaseSpec;
      assert.equal(spec.type, 'text', 'only text cases are expected');
      // Bytes, not a string: some cases hold NUL bytes or invalid UTF-8 on purpose.
      const bytes = readFileSync(new URL(`${dir}/${spec.file ?? 'metrics'}`, root));
      const result = checkExposition(bytes, { openMetrics: true });
      const why = result.ok ? 'it was accepted' : `rejected: ${JSON.stringify(result.problems[0])}`;
      assert.equal(result.ok, spec.shouldParse, `expected ${spec.shouldParse ? 'valid' : 'invalid'}, ${why}`);
      for (const p of result.problems) assert.ok(p.line >= 1, 'problems carry a line number');
      passed++;
    });
  }
  console.log(`openmetrics conformance: ${passed}/${dirs.length} passed`);
  assert.equal(passed, dirs.length);
});
