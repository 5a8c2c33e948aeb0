import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { ConfigError, defaultConfig, loadConfig } from '../../src/config/index.ts';

const dir = mkdtempSync(join(tmpdir(), 'telemux-config-'));

function problems(fn: () => unknown): string[] {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConfigError) return [...err.problems];
    throw err;
  }
  assert.fail('expected a ConfigError');
}

test('defaults bind everything to loopback', () => {
  const c = defaultConfig();
  assert.equal(c.http.listen, '127.0.0.1:9091');
  assert.equal(c.hermes.listen, '127.0.0.1:7789');
  assert.equal(c.hermes.metrics_listen, '');
});

test('precedence: defaults < file < environment < flags', () => {
  const file = join(dir, 'p.yaml');
  writeFileSync(
    file,
    'log:\n  level: warn\nhermes:\n  listen: 127.0.0.2:1000\n  definitions: from-file.json\n',
  );
  const c = loadConfig({
    file,
    env: { HERMES_CONFIG_PATH: 'from-env.json', LISTEN_PORT: '2000' },
    overrides: ['log.level=error'],
  });
  assert.equal(c.log.level, 'error');
  assert.equal(c.hermes.definitions, 'from-env.json');
  assert.equal(c.hermes.listen, '127.0.0.2:2000', 'LISTEN_PORT keeps the configured host');
});

test('Hermes environment: legacy CONFIG_FILE_PATH, LISTEN_ADDRESS, upper-case LOG_LEVEL, empty = unset', () => {
  const c = loadConfig({
    env: { CONFIG_FILE_PATH: 'legacy.json', LISTEN_ADDRESS: '0.0.0.0', LOG_LEVEL: 'WARN' },
  });
  assert.equal(c.hermes.definitions, 'legacy.json');
  assert.equal(c.hermes.listen, '0.0.0.0:7789');
  assert.equal(c.log.level, 'warn');
  const both = loadConfig({ env: { CONFIG_FILE_PATH: 'legacy.json', HERMES_CONFIG_PATH: 'new.json' } });
  assert.equal(both.hermes.definitions, 'new.json');
  const empty = loadConfig({ env: { LISTEN_PORT: '', LOG_LEVEL: '' } });
  assert.deepEqual(empty, defaultConfig());
});

test('logrus level names are understood', () => {
  assert.equal(loadConfig({ env: { LOG_LEVEL: 'warning' } }).log.level, 'warn');
  assert.equal(loadConfig({ env: { LOG_LEVEL: 'Error' } }).log.level, 'error');
});

test('a bad environment value names the variable', () => {
  assert.match(problems(() => loadConfig({ env: { LISTEN_PORT: 'http' } }))[0], /LISTEN_PORT/);
  assert.match(problems(() => loadConfig({ env: { LOG_LEVEL: 'loud' } }))[0], /log\.level: .*LOG_LEVEL/);
  const p = problems(() => loadConfig({ env: { LISTEN_PORT: '99999' } }));
  assert.match(p[0], /hermes\.listen: port 99999 is out of range .*environment variable LISTEN_PORT/);
});

test('flags are typed by the schema', () => {
  const c = loadConfig({
    overrides: ['limits.max_series=5', 'http.listen=[::1]:0', 'hermes.definitions=123'],
  });
  assert.equal(c.limits.max_series, 5);
  assert.equal(c.http.listen, '[::1]:0');
  assert.equal(c.hermes.definitions, '123', 'a string key keeps a numeric-looking value as text');
  assert.match(
    problems(() => loadConfig({ overrides: ['limits.max_series=many'] }))[0],
    /limits\.max_series: .*number/,
  );
  assert.match(problems(() => loadConfig({ overrides: ['http=1'] }))[0], /http: unknown key/);
});

test('JSON files work, with positions', () => {
  const file = join(dir, 'c.json');
  writeFileSync(file, '{\n  "http": {\n    "listen": "127.0.0.1:1",\n    "colour": "blue"\n  }\n}\n');
  assert.deepEqual(
    problems(() => loadConfig({ file })),
    [`http.colour: unknown key (at ${file}:4:5)`],
  );
});

test('a missing file and a non-mapping document are clear errors', () => {
  assert.match(
    problems(() => loadConfig({ file: join(dir, 'nope.yaml') }))[0],
    /cannot read the config file/,
  );
  const list = join(dir, 'list.yaml');
  writeFileSync(list, '- a\n- b\n');
  assert.match(problems(() => loadConfig({ file: list }))[0], /top level must be a mapping/);
});

test('an empty file means all defaults', () => {
  const file = join(dir, 'empty.yaml');
  writeFileSync(file, '');
  assert.deepEqual(loadConfig({ file }), defaultConfig());
});
