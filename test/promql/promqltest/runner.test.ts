// The runner against fake engines (so that its comparison is tested on its own: it must catch wrong
// values, labels, order, annotations and errors) and against the real engine on a small script.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Labels } from '../../../src/model/labels.ts';
import { PromqlEvalError } from '../../../src/promql/errors.ts';
import {
  type EvalResult,
  harnessEngine,
  runScript,
  type TestEngine,
} from '../../../src/promql/promqltest/runner.ts';
import type { MatrixSeries, QueryOutcome, VectorSample } from '../../../src/promql/value.ts';

type Answer = VectorSample[] | number | Error;
interface Annotated {
  readonly answer: Answer;
  readonly warnings?: string[];
  readonly infos?: string[];
}

function sample(labels: Record<string, string>, v: number): VectorSample {
  return { labels: Labels.from(labels), t: 0, v };
}

function outcome(value: QueryOutcome['value'], a: Annotated): QueryOutcome {
  return { value, warnings: a.warnings ?? [], infos: a.infos ?? [], samplesLoaded: 0 };
}

/**
 * An engine answering from a function of (query, time, how it is asked); its range queries are the
 * instant answers at each step, so the two agree unless the function says otherwise.
 */
function fakeEngine(
  answer: (query: string, t: number, mode: 'instant' | 'range') => Answer | Annotated,
): TestEngine {
  const annotated = (q: string, t: number, mode: 'instant' | 'range'): Annotated => {
    const a = answer(q, t, mode);
    return a instanceof Error || typeof a === 'number' || Array.isArray(a) ? { answer: a } : a;
  };
  return {
    async instantQuery(_store, query, t) {
      const a = annotated(query, t, 'instant');
      if (a.answer instanceof Error) throw a.answer;
      if (typeof a.answer === 'number')
        return outcome({ resultType: 'scalar', result: { t, v: a.answer } }, a);
      return outcome({ resultType: 'vector', result: a.answer.map((s) => ({ ...s, t })) }, a);
    },
    async rangeQuery(_store, query, start, end, step) {
      const bySeries = new Map<string, { labels: Labels; ts: number[]; vs: number[] }>();
      let last: Annotated = { answer: [] };
      for (let t = start; t <= end; t += step) {
        last = annotated(query, t, 'range');
        if (last.answer instanceof Error) throw last.answer;
        const samples = typeof last.answer === 'number' ? [sample({}, last.answer)] : last.answer;
        for (const s of samples) {
          const e = bySeries.get(s.labels.key) ?? { labels: s.labels, ts: [], vs: [] };
          e.ts.push(t);
          e.vs.push(s.v);
          bySeries.set(s.labels.key, e);
        }
      }
      const result: MatrixSeries[] = [...bySeries.values()]
        .sort((a, b) => Labels.compare(a.labels, b.labels))
        .map((e) => ({ labels: e.labels, ts: Float64Array.from(e.ts), vs: Float64Array.from(e.vs) }));
      return outcome({ resultType: 'matrix', result }, last);
    },
  };
}

const RIGHT = [sample({ a: '1' }, 1), sample({ a: '2' }, 2)];

const SCRIPT = `
load 1m
  x{a="1"} 1x10
  x{a="2"} 2x10

eval instant at 5m x
  {a="1"} 1
  {a="2"} 2

eval range from 0 to 2m step 1m x
  {a="1"} 1 1 1
  {a="2"} 2 2 2
`;

async function statuses(script: string, engine: TestEngine): Promise<EvalResult[]> {
  return runScript(script, 'test.test', engine);
}

async function verdicts(script: string, engine: TestEngine): Promise<string[]> {
  return (await statuses(script, engine)).map((r) => r.status);
}

describe('the runner compares results', () => {
  it('passes an engine that answers right', async () => {
    assert.deepEqual(
      await verdicts(
        SCRIPT,
        fakeEngine(() => RIGHT),
      ),
      ['passed', 'passed'],
    );
  });

  it('passes values within the relative tolerance of 1e-6', async () => {
    const close = [sample({ a: '1' }, 1 + 1e-8), sample({ a: '2' }, 2 - 1e-8)];
    assert.deepEqual(
      await verdicts(
        SCRIPT,
        fakeEngine(() => close),
      ),
      ['passed', 'passed'],
    );
  });

  it('fails a wrong value', async () => {
    const wrong = [sample({ a: '1' }, 1.001), sample({ a: '2' }, 2)];
    const results = await statuses(
      SCRIPT,
      fakeEngine(() => wrong),
    );
    assert.deepEqual(
      results.map((r) => r.status),
      ['failed', 'failed'],
    );
    assert.match(results[0].reason, /expected 1 for \{a="1"\} but got 1\.001/);
    assert.match(results[1].reason, /expected 1 at t=0 for \{a="1"\} but got 1\.001/);
  });

  it('fails wrong labels, a missing series and an extra one', async () => {
    for (const answer of [
      [sample({ a: '1', b: 'x' }, 1), sample({ a: '2' }, 2)],
      [sample({ a: '1' }, 1)],
      [...RIGHT, sample({ a: '3' }, 3)],
      [sample({ __name__: 'x', a: '1' }, 1), sample({ a: '2' }, 2)],
    ])
      assert.deepEqual(
        await verdicts(
          SCRIPT,
          fakeEngine(() => answer),
        ),
        ['failed', 'failed'],
        JSON.stringify(answer),
      );
  });

  it('checks the order only with expect ordered', async () => {
    const reversed = fakeEngine(() => [...RIGHT].reverse());
    const ordered = 'load 1m\n  x 1\n\neval instant at 0 x\n  expect ordered\n  {a="1"} 1\n  {a="2"} 2\n';
    const unordered = 'load 1m\n  x 1\n\neval instant at 0 x\n  {a="1"} 1\n  {a="2"} 2\n';
    const [r] = await statuses(ordered, reversed);
    assert.equal(r.status, 'failed');
    assert.match(r.reason, /expected series \{a="2"\} at position 2 but it was at 1/);
    assert.deepEqual(await verdicts(unordered, reversed), ['passed']);
    assert.deepEqual(
      await verdicts(
        ordered,
        fakeEngine(() => RIGHT),
      ),
      ['passed'],
    );
  });

  it('fails a range result at the wrong steps or with missing points', async () => {
    // Points only at even minutes: the expected `1 1 1` wants one at 1m too.
    const gappy = fakeEngine((_q, t, mode) =>
      mode === 'range' && t === 60_000 ? [sample({ a: '2' }, 2)] : RIGHT,
    );
    const results = await statuses(SCRIPT, gappy);
    assert.equal(results[1].status, 'failed');
    assert.match(
      results[1].reason,
      /expected 3 float and 0 histogram points for \{a="1"\}, but got 2 points/,
    );
    const withBlank = `${SCRIPT.replace('{a="1"} 1 1 1', '{a="1"} 1 _ 1')}`;
    assert.deepEqual((await statuses(withBlank, gappy))[1].status, 'passed');
  });

  it('compares a scalar with a number line and a string with expect string', async () => {
    const script = 'eval instant at 0 1\n  1\n\neval instant at 0 "a"\n  expect string "a"\n';
    const engine: TestEngine = {
      ...fakeEngine(() => 1),
      async instantQuery(store, query, t) {
        if (query === '"a"')
          return outcome({ resultType: 'string', result: { t, value: 'b' } }, { answer: [] });
        return fakeEngine(() => 1).instantQuery(store, query, t);
      },
    };
    const results = await statuses(script, engine);
    assert.deepEqual(
      results.map((r) => r.status),
      ['passed', 'failed'],
    );
    assert.match(results[1].reason, /expected string "a" but got "b"/);
    assert.deepEqual(
      await verdicts(
        'eval instant at 0 1\n  2\n',
        fakeEngine(() => 1),
      ),
      ['failed'],
    );
  });

  it('fails when the range-mode middle step differs from the instant result', async () => {
    const engine = fakeEngine((_q, _t, mode) => (mode === 'range' ? [sample({ a: '1' }, 1)] : RIGHT));
    const [instant] = await statuses(SCRIPT, engine);
    assert.equal(instant.status, 'failed');
    assert.match(instant.reason, /^range mode: expected series \{a="2"\} 2 \(line 8\) not in the result/);
  });

  it('fails when the @-pinned re-runs differ (step invariance)', async () => {
    // Right at the eval time, but a pinned query is answered for the time it runs at, not its @.
    const engine = fakeEngine((q, t) => (q.includes('@') && t !== 300_000 ? [] : RIGHT));
    const [instant] = await statuses(SCRIPT, engine);
    assert.equal(instant.status, 'failed');
    assert.match(instant.reason, /^step invariance: x @ 300\.000 at -3000000ms: expected series/);
  });

  it('runs the re-runs at the times Prometheus uses', async () => {
    const asked: string[] = [];
    const engine = fakeEngine((q, t, mode) => {
      if (mode === 'instant') asked.push(`${q}@${t}`);
      return RIGHT;
    });
    await statuses('eval instant at 0 x\n  {a="1"} 1\n  {a="2"} 2\n\neval instant at 10s time()\n', engine);
    assert.deepEqual(asked, ['x@0', 'x @ 0.000@-1000', 'x @ 0.000@0', 'x @ 0.000@1000', 'time()@10000']);
  });
});

describe('the runner checks errors and annotations', () => {
  const failing = (message: string) => fakeEngine(() => new PromqlEvalError(message));

  it('passes an expected failure, with or without a message to match', async () => {
    const script =
      'eval instant at 0 x\n  expect fail\n\neval instant at 0 x\n  expect fail msg: boom\n\neval range from 0 to 1m step 1m x\n  expect fail regex: bo+m$\n';
    assert.deepEqual(await verdicts(script, failing('boom')), ['passed', 'passed', 'passed']);
    assert.deepEqual(await verdicts(script, failing('bang')), ['passed', 'failed', 'failed']);
    assert.deepEqual(
      await verdicts(
        script,
        fakeEngine(() => RIGHT),
      ),
      ['failed', 'failed', 'failed'],
    );
  });

  it('fails an unexpected error, and never takes an engine crash for an expected failure', async () => {
    assert.deepEqual(await verdicts('eval instant at 0 x\n', failing('boom')), ['failed']);
    const crash = fakeEngine(() => new TypeError('x is undefined'));
    const [r] = await statuses('eval instant at 0 x\n  expect fail\n', crash);
    assert.equal(r.status, 'failed');
    assert.match(r.reason, /the engine crashed: TypeError: x is undefined/);
  });

  it('matches warn and info annotations, all of them when any is expected', async () => {
    const warned = (warnings: string[], infos: string[] = []) =>
      fakeEngine(() => ({ answer: [], warnings, infos }));
    const script = (lines: string) => `eval instant at 0 x\n${lines}\n`;
    const w = 'PromQL warning: careful (1:1)';
    assert.deepEqual(await verdicts(script(`  expect warn msg: ${w}`), warned([w])), ['passed']);
    assert.deepEqual(
      await verdicts(script(`  expect warn msg: ${w}`), warned([w, 'PromQL warning: other (1:1)'])),
      ['failed'],
    );
    assert.deepEqual(await verdicts(script('  expect warn regex: careful'), warned([])), ['failed']);
    assert.deepEqual(await verdicts(script('  expect no_warn'), warned([w])), ['failed']);
    assert.deepEqual(await verdicts(script('  expect no_info'), warned([w])), ['passed']);
    assert.deepEqual(await verdicts(script('  expect info'), warned([], ['PromQL info: x (1:1)'])), [
      'passed',
    ]);
    // Without expectations, annotations are not looked at.
    assert.deepEqual(await verdicts(script(''), warned([w], ['PromQL info: x (1:1)'])), ['passed']);
  });
});

describe('the runner skips only native histograms and experimental features', () => {
  const empty = fakeEngine(() => []);

  it('skips evals reading series loaded as native histograms, or expecting one', async () => {
    const script = [
      'load 1m',
      '  h {{schema:0 sum:1 count:1}}x3',
      '  f 1x3',
      '',
      'eval instant at 1m h',
      '',
      'eval instant at 1m {__name__=~"h|f"}',
      '',
      'eval instant at 1m f',
      '',
      'eval instant at 1m histogram_count(f)',
      '',
      'eval instant at 1m f',
      '  {} {{count:1}}',
    ].join('\n');
    const results = await statuses(script, empty);
    assert.deepEqual(
      results.map((r) => [r.line, r.status]),
      [
        [5, 'skipped'],
        [7, 'skipped'],
        [9, 'passed'],
        [11, 'skipped'],
        [13, 'skipped'],
      ],
    );
    assert.match(results[0].reason, /^native histograms: the query reads series loaded as native histograms/);
    assert.match(results[3].reason, /histogram_count\(\) works on native histograms only/);
    assert.match(results[4].reason, /expected result holds native histograms/);
  });

  it('skips the native histograms load_with_nhcb adds, not the classic series', async () => {
    const script = [
      'load_with_nhcb 1m',
      '  hist_bucket{le="1"} 1',
      '  hist_bucket{le="+Inf"} 2',
      '',
      'eval instant at 0 hist',
      '',
      'eval instant at 0 hist_bucket{le="7"}',
    ].join('\n');
    const results = await statuses(script, empty);
    assert.deepEqual(
      results.map((r) => r.status),
      ['skipped', 'passed'],
    );
    assert.match(results[0].reason, /load_with_nhcb/);
  });

  it('skips unsupported experimental syntax, info() and start timestamps, naming the feature', async () => {
    const script = [
      'load 1m',
      '  c@st _ -30s',
      '  c _ 1',
      '',
      'eval instant at 1m rate(c[5m])',
      '',
      'eval instant at 1m rate(x[5m] anchored)',
      '',
      'eval instant at 1m info(x)',
    ].join('\n');
    const results = await statuses(script, empty);
    assert.deepEqual(
      results.map((r) => r.status),
      ['skipped', 'skipped', 'skipped'],
    );
    assert.match(results[0].reason, /start timestamps/);
    assert.match(results[1].reason, /^experimental: the anchored range selector modifier/);
    assert.match(results[2].reason, /info\(\)/);
  });

  it('fails, never skips, a query that does not parse', async () => {
    const [r] = await statuses('eval instant at 0 sum(\n', empty);
    assert.equal(r.status, 'failed');
    assert.match(r.reason, /cannot parse the query: 1:5: parse error/);
  });

  it('fails the evals after a load that could not be parsed, until a clear', async () => {
    const script = 'load 1m\n  x{ 1\n\neval instant at 0 x\n\nclear\n\neval instant at 0 x\n';
    const results = await statuses(script, empty);
    assert.deepEqual(
      results.map((r) => [r.line, r.status]),
      [
        [1, 'failed'],
        [4, 'failed'],
        [8, 'passed'],
      ],
    );
    assert.match(results[1].reason, /not run: the load at line 1 failed/);
  });
});

describe('the runner with the real engine', () => {
  it('runs a script with staleness, ranges, scalars and an expected failure', async () => {
    const script = `
load 10s
  metric{job="a"} 0 1 stale 2
  metric{job="b"} 1+1x10
  dup1{x="1"} 1
  dup2{x="1"} 2

eval instant at 10s metric
  metric{job="a"} 1
  metric{job="b"} 2

eval instant at 20s metric{job="a"}

eval range from 0 to 30s step 10s sum(metric)
  {} 1 3 3 6

eval instant at 1m scalar(metric{job="b"})
  7

eval instant at 30s count_over_time(metric[1m])
  {job="a"} 3
  {job="b"} 4

eval instant at 0 ceil({__name__=~"dup1|dup2"})
  expect fail msg: vector cannot contain metrics with the same labelset
`;
    const results = await statuses(script, harnessEngine());
    assert.deepEqual(
      results.map((r) => `${r.line} ${r.status} ${r.reason}`),
      results.map((r) => `${r.line} passed `),
    );
    assert.equal(results.length, 6);
    const wrong = await statuses(script.replace('{} 1 3 3 6', '{} 1 3 4 6'), harnessEngine());
    assert.deepEqual(
      wrong.map((r) => r.status),
      ['passed', 'passed', 'failed', 'passed', 'passed', 'passed'],
    );
  });
});
