// Runs scripts/pushgateway-parity.ts against Debian's prometheus-pushgateway (installed by
// `npm run peers`; a missing binary fails the test): the only differences must be the deliberate
// ones listed in docs/pushgateway.md.

import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { test } from 'node:test';
import {
  DEFAULT_PUSHGATEWAY_BIN,
  EXPECTED_DIFFERENCES,
  runParity,
  summariseDifference,
} from '../../../scripts/pushgateway-parity.ts';

test('telemux answers the push API like the Pushgateway, except for the documented differences', {
  timeout: 60_000,
}, async () => {
  assert.ok(existsSync(DEFAULT_PUSHGATEWAY_BIN), `${DEFAULT_PUSHGATEWAY_BIN} is missing: run npm run peers`);
  const result = await runParity();
  assert.ok(result.steps.length >= 40);
  assert.deepEqual(result.differences.map(summariseDifference), [...EXPECTED_DIFFERENCES]);
  // Every refusal carries a message.
  for (const s of result.steps) if (s.telemux === 400) assert.notEqual(s.telemuxBody, '', s.name);
});

test('the deliberate differences are the ones docs/pushgateway.md lists', async () => {
  const { readFile } = await import('node:fs/promises');
  const doc = await readFile(new URL('../../../docs/pushgateway.md', import.meta.url), 'utf8');
  for (const d of EXPECTED_DIFFERENCES)
    assert.ok(doc.includes(`\`${d}\``), `docs/pushgateway.md lacks \`${d}\``);
});
