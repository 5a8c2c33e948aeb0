// Prometheus' own command-line client against telemux: `promtool query instant | range | series |
// labels` (Debian's prometheus 2.42, installed by scripts/install-peers.sh) talk to a real
// `telemux serve` fed through /api/v1/import, and must print the values that were imported.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, test } from 'node:test';
import { promisify } from 'node:util';
import { startTelemux } from '../helpers/telemux-process.ts';

const run = promisify(execFile);

const telemux = await startTelemux([]);
after(() => telemux.stop());
const url = `http://${telemux.addresses.http}`;

// Ten minutes back, on a whole minute: well inside the head and the default lookback.
const T = Math.floor((Date.now() - 600_000) / 60_000) * 60_000;
const s = (ms: number) => String(ms / 1000);
const rows = [
  {
    metric: { __name__: 'demo_temperature_celsius', room: 'hall' },
    values: [19, 19.5, 20],
    timestamps: [T, T + 15_000, T + 30_000],
  },
  {
    metric: { __name__: 'demo_temperature_celsius', room: 'kitchen' },
    values: [21, 22, 22.25],
    timestamps: [T, T + 15_000, T + 30_000],
  },
];
const res = await fetch(`${url}/api/v1/import`, {
  method: 'POST',
  body: rows.map((r) => JSON.stringify(r)).join('\n'),
});
assert.equal(res.status, 204, await res.text());

async function promtool(...args: string[]): Promise<string> {
  const { stdout } = await run('promtool', ['query', ...args], { timeout: 30_000 });
  return stdout;
}

test('promtool query instant prints the vector at --time', async () => {
  const out = await promtool('instant', `--time=${s(T + 30_000)}`, url, 'demo_temperature_celsius');
  assert.deepEqual(out.trim().split('\n').sort(), [
    `demo_temperature_celsius{room="hall"} => 20 @[${s(T + 30_000)}]`,
    `demo_temperature_celsius{room="kitchen"} => 22.25 @[${s(T + 30_000)}]`,
  ]);
  const sum = await promtool('instant', `--time=${s(T + 15_000)}`, url, 'sum(demo_temperature_celsius)');
  assert.equal(sum.trim(), `{} => 41.5 @[${s(T + 15_000)}]`);
  const scalar = await promtool(
    'instant',
    `--time=${s(T)}`,
    url,
    'scalar(sum(demo_temperature_celsius)) * 2',
  );
  assert.equal(scalar.trim(), `scalar: 80 @[${s(T)}]`);
});

test('promtool query range prints every step', async () => {
  const out = await promtool(
    'range',
    `--start=${s(T)}`,
    `--end=${s(T + 30_000)}`,
    '--step=15s',
    url,
    'sum by (room) (demo_temperature_celsius{room="kitchen"})',
  );
  assert.equal(
    out.trim(),
    [`{room="kitchen"} =>`, `21 @[${s(T)}]`, `22 @[${s(T + 15_000)}]`, `22.25 @[${s(T + 30_000)}]`].join(
      '\n',
    ),
  );
});

test('promtool query series and labels', async () => {
  const series = await promtool('series', '--match=demo_temperature_celsius', url);
  assert.deepEqual(series.trim().split('\n'), [
    '{__name__="demo_temperature_celsius", room="hall"}',
    '{__name__="demo_temperature_celsius", room="kitchen"}',
  ]);
  const labels = await promtool('labels', '--match=demo_temperature_celsius', url, 'room');
  assert.deepEqual(labels.trim().split('\n'), ['hall', 'kitchen']);
});

test('a bad query: promtool reports the bad_data error and exits 1', async () => {
  await assert.rejects(
    promtool('instant', url, 'demo_temperature_celsius{'),
    (err: { code?: number; stderr?: string }) => {
      assert.equal(err.code, 1);
      assert.match(String(err.stderr), /bad_data: invalid parameter "query"/);
      return true;
    },
  );
});
