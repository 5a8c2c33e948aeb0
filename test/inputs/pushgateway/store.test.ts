import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import { parseExposition } from '../../../src/format/exposition/parser.ts';
import { writeText } from '../../../src/format/exposition/text-writer.ts';
import {
  decodeBase64Value,
  encodeBase64Value,
  GroupingKeyError,
  groupingPath,
  loadSnapshot,
  PushConsistencyError,
  PushGroupStore,
  PushPersistence,
  parseGroupingPath,
  writeSnapshot,
} from '../../../src/inputs/pushgateway/index.ts';
import { parseSeriesSelector } from '../../../src/promql/series-selector.ts';

const text = (s: string) => parseExposition(s);
const render = (store: PushGroupStore) => writeText(store.collect());

test('grouping path: job, pairs, base64 values incl. / and empty, the last repeat wins', () => {
  assert.deepEqual(parseGroupingPath('job/a'), { job: 'a' });
  assert.deepEqual(parseGroupingPath('job/a/'), { job: 'a' });
  assert.deepEqual(parseGroupingPath('job@base64/YS9i/x@base64/=/y/1'), { x: '', y: '1', job: 'a/b' });
  assert.deepEqual(parseGroupingPath('job/a/x@base64/L3Zhci90bXA'), { x: '/var/tmp', job: 'a' });
  assert.deepEqual(parseGroupingPath('job/a/x@base64/L3Zhci90bXA=='), { x: '/var/tmp', job: 'a' });
  assert.deepEqual(parseGroupingPath('job/a/x/'), { x: '', job: 'a' });
  assert.deepEqual(parseGroupingPath('job/a/x/1/x/2'), { x: '2', job: 'a' });
  assert.deepEqual(parseGroupingPath('job/a/job/b'), { job: 'a' });
  assert.deepEqual(parseGroupingPath('job/a/x/a%2Fb'), { x: 'a/b', job: 'a' });
  for (const [path, msg] of [
    ['job/a/x', /odd number of components in label string "\/x"/],
    ['job/a/x/1/', /odd number/],
    ['job/a/__x/1', /improper label name "__x"/],
    ['job/a/1x/1', /improper label name "1x"/],
    ['job@base64/=', /job name is required/],
    ['job/', /job name is required/],
    ['job/a/x@base64/!!', /invalid base64 encoding for label x="!!"/],
    ['job/a/x/%zz', /percent-encoding/],
  ] as const)
    assert.throws(
      () => parseGroupingPath(path),
      (e: Error) => e instanceof GroupingKeyError && msg.test(e.message),
      path,
    );
});

test('base64 values round-trip, and groupingPath inverts parseGroupingPath', () => {
  fc.assert(
    fc.property(fc.string({ unit: 'grapheme' }), (v) =>
      assert.equal(decodeBase64Value('x', encodeBase64Value(v)), v),
    ),
  );
  const labelName = fc.stringMatching(/^[a-z][a-z0-9_]{0,5}$/).filter((n) => n !== 'job');
  fc.assert(
    fc.property(
      fc.string({ minLength: 1, unit: 'grapheme' }),
      fc.dictionary(labelName, fc.string({ unit: 'grapheme' }), { maxKeys: 4 }),
      (job, rest) => {
        const labels = { ...rest, job };
        const parsed = parseGroupingPath(groupingPath(labels).slice('/metrics/'.length));
        assert.deepEqual({ ...parsed }, Object.assign({}, rest, { job }));
      },
    ),
  );
});

test('PUT replaces a group, POST replaces families by name; grouping labels override; instance="" added', () => {
  let now = 1_000_000;
  const store = new PushGroupStore({ now: () => now });
  store.push({ labels: { job: 'j' }, method: 'PUT', families: text('a{job="x",y="1"} 1\nb 2\n') });
  now += 1000;
  store.push({ labels: { job: 'j' }, method: 'POST', families: text('b 3\nc 4\n') });
  let out = render(store);
  assert.match(out, /^a\{instance="",job="j",y="1"\} 1$/m);
  assert.match(out, /^b\{instance="",job="j"\} 3$/m);
  assert.match(out, /^c\{instance="",job="j"\} 4$/m);
  assert.match(out, /^push_time_seconds\{instance="",job="j"\} 1001$/m);
  assert.match(out, /^push_failure_time_seconds\{instance="",job="j"\} 0$/m);
  store.push({ labels: { job: 'j' }, method: 'PUT', families: text('d 5\n') });
  out = render(store);
  assert.doesNotMatch(out, /^a\{/m);
  assert.match(out, /^d\{instance="",job="j"\} 5$/m);
  store.push({ labels: { job: 'j' }, method: 'PUT', families: [] });
  assert.doesNotMatch(render(store), /^d\{/m);
  assert.equal(store.size, 1);
  // An instance in the body stays when the grouping key has none.
  store.push({ labels: { job: 'k' }, method: 'PUT', families: text('e{instance="i"} 1\n') });
  assert.match(render(store), /^e\{instance="i",job="k"\} 1$/m);
});

test('consistency: types across groups, duplicates, timestamps, names, suffix collisions; failures recorded', () => {
  let now = 5000;
  const store = new PushGroupStore({ now: () => now });
  store.push({ labels: { job: 'a' }, method: 'PUT', families: text('# TYPE m counter\nm{x="1"} 1\n') });
  now = 6000;
  const refuse = (labels: Record<string, string>, body: string, re: RegExp) =>
    assert.throws(
      () => store.push({ labels, method: 'PUT', families: text(body) }),
      (e: Error) => e instanceof PushConsistencyError && re.test(e.message),
    );
  refuse({ job: 'b' }, '# TYPE m gauge\nm 1\n', /is not a GAUGE/);
  refuse({ job: 'b' }, 'n 1 1234\n', /must not have timestamps/);
  refuse({ job: 'b' }, 'n{__x="1"} 1\n', /invalid name: __x/);
  refuse(
    { job: 'a', x: '1' },
    '# TYPE m counter\nm 2\n',
    /collected before with the same name and label values/,
  );
  store.push({
    labels: { job: 'c' },
    method: 'PUT',
    families: text('# TYPE s summary\ns_sum 1\ns_count 1\n'),
  });
  refuse({ job: 'd' }, 's_count 1\n', /collides with previously collected summary named "s"/);
  refuse({ job: 'd' }, '# TYPE s_count counter\ns_count 1\n', /collides/);
  refuse({ job: 'd' }, '# TYPE m_count counter\nm_count 1\n# TYPE m histogram\nm_count 1\n', /./);
  const out = render(store);
  assert.match(out, /^push_failure_time_seconds\{instance="",job="b"\} 6$/m);
  assert.match(out, /^push_time_seconds\{instance="",job="b"\} 0$/m);
  assert.doesNotMatch(out, /^n\{/m);
  // Pushed push_time_seconds is overridden by the synthetic one.
  store.push({ labels: { job: 'e' }, method: 'PUT', families: text('push_time_seconds 3\n') });
  assert.match(render(store), /^push_time_seconds\{instance="",job="e"\} 6$/m);
  const api = store.apiMetrics();
  const b = api.find((g) => (g.labels as Record<string, string>).job === 'b')!;
  assert.equal(b.last_push_successful, false);
});

test('delete, delete by matcher, wipe', () => {
  const store = new PushGroupStore();
  for (const [job, env] of [
    ['a', 'prod'],
    ['b', 'prod'],
    ['c', 'dev'],
  ])
    store.push({ labels: { job, env }, method: 'PUT', families: text(`m_${job} 1\n`) });
  assert.equal(store.delete({ job: 'nope' }), false);
  assert.equal(store.deleteMatching(parseSeriesSelector('{env="prod",job=~"a|x"}')), 1);
  assert.deepEqual(
    store.groups().map((g) => g.labels.job),
    ['c', 'b'],
  ); // sorted by labels: env first
  assert.equal(store.delete({ env: 'dev', job: 'c' }), true);
  assert.equal(store.wipe(), 1);
  assert.equal([...store.collect()].length, 0);
});

test('TTL: groups expire after their TTL from the last push (injected clock)', () => {
  let now = 0;
  const store = new PushGroupStore({ now: () => now, defaultTtlMs: 10_000 });
  store.push({ labels: { job: 'default' }, method: 'PUT', families: text('a 1\n') });
  store.push({ labels: { job: 'short' }, method: 'PUT', families: text('b 1\n'), ttlMs: 2_000 });
  store.push({ labels: { job: 'forever' }, method: 'PUT', families: text('c 1\n'), ttlMs: 0 });
  now = 1_999;
  assert.equal(store.groups().length, 3);
  now = 2_000;
  assert.deepEqual(
    store.groups().map((g) => g.labels.job),
    ['default', 'forever'],
  );
  now = 9_000;
  store.push({ labels: { job: 'default' }, method: 'POST', families: [] }); // refreshes
  now = 18_000;
  assert.equal(store.groups().length, 2);
  now = 19_000;
  assert.deepEqual(
    store.groups().map((g) => g.labels.job),
    ['forever'],
  );
  assert.doesNotMatch(render(store), /^a\{/m);
});

test('several groups in one atomic push: all or nothing', () => {
  const store = new PushGroupStore();
  store.pushMany([
    { labels: { job: 'a' }, method: 'PUT', families: text('x 1\n') },
    { labels: { job: 'b' }, method: 'PUT', families: text('x 2\n') },
  ]);
  assert.equal(store.size, 2);
  assert.throws(
    () =>
      store.pushMany([
        { labels: { job: 'c' }, method: 'PUT', families: text('y 1\n') },
        { labels: { job: 'd' }, method: 'PUT', families: text('# TYPE x counter\nx 1\n') },
      ]),
    /group 1 \(job="d"\).*is not a COUNTER/,
  );
  assert.deepEqual(
    store.groups().map((g) => [g.labels.job, g.families.size]),
    [
      ['a', 1],
      ['b', 1],
      ['d', 0],
    ],
  );
  // Later entries see earlier ones of the same request.
  assert.throws(() =>
    store.pushMany([
      { labels: { job: 'e' }, method: 'PUT', families: text('# TYPE z gauge\nz 1\n') },
      { labels: { job: 'f' }, method: 'PUT', families: text('# TYPE z counter\nz 1\n') },
    ]),
  );
  assert.ok(!store.groups().some((g) => g.labels.job === 'e'));
});

test('persistence: atomic snapshot round trip, interval writer, final write on close', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'pg-store-'));
  try {
    const file = join(dir, 'groups.json');
    const store = new PushGroupStore();
    store.push({
      labels: { job: 'a', path: '/x', e: '' },
      method: 'PUT',
      families: text(
        '# HELP h A histogram.\n# TYPE h histogram\nh_bucket{le="1"} 1\nh_bucket{le="+Inf"} 2\nh_sum NaN\nh_count 2\n# TYPE s summary\ns{quantile="0.5"} -Inf\ns_sum 1\ns_count 1\ng 1.5\n',
      ),
      ttlMs: 60_000,
    });
    await writeSnapshot(store, file);
    assert.deepEqual(readdirSync(dir), ['groups.json']);
    const loaded = new PushGroupStore();
    assert.equal(await loadSnapshot(loaded, file), 1);
    assert.equal(render(loaded), render(store));
    assert.deepEqual(loaded.apiMetrics(), store.apiMetrics());
    assert.equal(await loadSnapshot(new PushGroupStore(), join(dir, 'missing.json')), 0);

    const p = new PushPersistence(loaded, { file, intervalMs: 60_000 });
    p.start();
    loaded.push({ labels: { job: 'b' }, method: 'PUT', families: text('z 9\n') });
    await p.close();
    const again = new PushGroupStore();
    await loadSnapshot(again, file);
    assert.match(render(again), /^z\{instance="",job="b"\} 9$/m);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a family without series is neither exposed nor checked', () => {
  const store = new PushGroupStore();
  store.push({ labels: { job: 'a' }, method: 'PUT', families: text('# TYPE e gauge\n') });
  assert.doesNotMatch(render(store), /# TYPE e /);
  store.push({ labels: { job: 'b' }, method: 'PUT', families: text('# TYPE e counter\ne 1\n') });
  assert.match(render(store), /^e\{instance="",job="b"\} 1$/m);
});
