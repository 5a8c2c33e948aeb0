import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { matches } from '../../../src/promql/promqltest/expectations.ts';
import type { Command, EvalCommand, LoadCommand } from '../../../src/promql/promqltest/script.ts';
import { parseScript } from '../../../src/promql/promqltest/script-parser.ts';

function evals(commands: Command[]): EvalCommand[] {
  return commands.filter((c): c is EvalCommand => c.kind === 'eval');
}

function only<T extends Command>(commands: Command[], kind: T['kind']): T {
  const found = commands.filter((c) => c.kind === kind);
  assert.equal(found.length, 1, `one ${kind} in ${JSON.stringify(commands.map((c) => c.kind))}`);
  return found[0] as T;
}

describe('script parsing', () => {
  it('reads load, clear and eval commands with their lines', () => {
    const commands = parseScript(
      [
        '# a comment',
        'load 5m',
        '  http_requests{job="a"} 0+10x3',
        '  up 1',
        '',
        'eval instant at 10m http_requests',
        '  http_requests{job="a"} 20',
        '',
        'clear',
        'eval range from 0 to 10m step 5m up',
        '  up 1 1 1',
      ].join('\n'),
    );
    assert.deepEqual(
      commands.map((c) => [c.kind, c.line]),
      [
        ['load', 2],
        ['eval', 6],
        ['clear', 9],
        ['eval', 10],
      ],
    );
    const load = commands[0] as LoadCommand;
    assert.equal(load.intervalMs, 300_000);
    assert.equal(load.series.length, 2);
    assert.deepEqual([...load.series[0].points.values], [0, 10, 20, 30]);
    const [instant, range] = evals(commands);
    assert.equal(instant.query, 'http_requests');
    assert.equal(instant.isRange, false);
    assert.equal(instant.evalMs, 600_000);
    assert.equal(instant.expectedSeries[0].labels.toString(), 'http_requests{job="a"}');
    assert.equal(instant.expectedSeries[0].line, 7);
    assert.deepEqual([range.startMs, range.endMs, range.stepMs, range.isRange], [0, 600_000, 300_000, true]);
  });

  it('ends a block at a blank or comment line', () => {
    const commands = parseScript('load 1m\n  a 1\n# c\n  b 2\n');
    // `b 2` after the comment is no command.
    assert.deepEqual(
      commands.map((c) => c.kind),
      ['load', 'broken'],
    );
    assert.equal(commands[1].line, 4);
  });

  it('reads expect lines: fail, warn, info, no_warn, no_info, ordered with msg and regex', () => {
    const [e] = evals(
      parseScript(
        [
          'eval instant at 1m sum(x)',
          '  expect fail msg: something bad',
          '  expect warn regex: PromQL warning: .* \\(1:5\\)',
          '  expect warn',
          '  expect no_info',
          '  expect ordered',
        ].join('\n'),
      ),
    );
    assert.ok(e.fail && matches(e.fail, 'something bad') && !matches(e.fail, 'something bad!'));
    assert.equal(e.warn.length, 2);
    assert.ok(matches(e.warn[0], 'x PromQL warning: boom (1:5)'));
    assert.ok(!matches(e.warn[0], 'PromQL warning: boom (1:6)'));
    assert.ok(matches(e.warn[1], 'anything'));
    assert.deepEqual([e.noInfo, e.noWarn, e.ordered], [true, false, true]);
  });

  it('reads the deprecated forms', () => {
    const es = evals(
      parseScript(
        [
          'eval_fail instant at 0 a',
          '  expected_fail_message vector cannot contain metrics with the same labelset',
          '',
          'eval_fail range from 0 to 1m step 1m a',
          '  expected_fail_regexp vector cannot .*',
          '',
          'eval_warn instant at 0 a',
          '',
          'eval_info range from 0 to 1m step 1m a',
          '',
          'eval_ordered instant at 0 a',
        ].join('\n'),
      ),
    );
    assert.ok(es[0].fail && matches(es[0].fail, 'vector cannot contain metrics with the same labelset'));
    assert.ok(es[1].fail && matches(es[1].fail, 'x vector cannot y'));
    assert.ok(es[2].anyWarn && es[3].anyInfo && es[4].ordered);
  });

  it('reads a scalar line, expect string and expect range vector', () => {
    const es = evals(
      parseScript(
        [
          'eval instant at 50m 1 / 0',
          '  +Inf',
          '',
          'eval instant at 50m "Foo"',
          '  expect string " Foo\\n"',
          '',
          'eval instant at 50m ``',
          '  expect string ``',
          '',
          'eval instant at 1m m[1m]',
          '  expect range vector from 10s to 1m step 10s',
          '  m{a="b"} 1 2 3 4 5 6',
        ].join('\n'),
      ),
    );
    assert.equal(es[0].expectedScalar?.values[0], Infinity);
    assert.equal(es[0].expectedSeries.length, 0);
    assert.equal(es[1].expectedString, ' Foo\n');
    assert.ok(es[1].excludeFromRangeCheck);
    assert.equal(es[2].expectedString, '');
    assert.deepEqual(
      [es[3].startMs, es[3].endMs, es[3].stepMs, es[3].evalMs],
      [10_000, 60_000, 10_000, 60_000],
    );
    assert.ok(es[3].excludeFromRangeCheck);
  });

  it('numbers result lines for expect ordered, not counting expect lines', () => {
    const [e] = evals(
      parseScript(
        'eval instant at 0 sort(x)\n  expect ordered\n  x{a="1"} 1\n  expect no_warn\n  x{a="2"} 2\n',
      ),
    );
    assert.deepEqual(
      e.expectedSeries.map((s) => s.position),
      [1, 2],
    );
  });

  it('turns a bad block into a broken command at its line and goes on', () => {
    const commands = parseScript(
      [
        'eval instant at 0 a',
        '  a{x="1"} 1 2',
        '',
        'eval instant at 0 b',
        '  expect warn',
        '  expect no_warn',
        '',
        'eval range from 1m to 0 step 1m c',
        '',
        'load xyz',
        '',
        'frobnicate',
        '',
        'eval instant at 0 d',
        '  expect string Foo',
        '',
        'eval instant at 0 e',
        '  expect fail',
        '  expect fail',
        '',
        'eval instant at 0 ok',
      ].join('\n'),
    );
    const broken = commands.filter((c) => c.kind === 'broken');
    assert.deepEqual(
      broken.map((c) => [c.line, c.what]),
      [
        [1, 'eval'],
        [4, 'eval'],
        [8, 'eval'],
        [10, 'load'],
        [12, 'command'],
        [14, 'eval'],
        [17, 'eval'],
      ],
    );
    assert.match(broken[0].message, /^line 2: expecting multiple values in instant evaluation/);
    assert.match(broken[1].message, /^line 6: invalid expect lines, warn and no_warn/);
    assert.match(broken[2].message, /end timestamp \(0\) is before start timestamp \(1m\)/);
    assert.match(broken[3].message, /invalid step definition "xyz"/);
    assert.match(broken[4].message, /invalid command "frobnicate"/);
    assert.match(broken[5].message, /quoted string literal is required|correctly quoted/);
    assert.match(broken[6].message, /multiple expect fail lines/);
    assert.equal(broken[0].kind === 'broken' && broken[0].query, 'a');
    assert.equal(evals(commands).at(-1)?.query, 'ok');
  });

  it('keeps the last line of a series given twice in one load', () => {
    const load = only<LoadCommand>(parseScript('load 1m\n  a 1\n  a 2 3\n'), 'load');
    assert.equal(load.series.length, 1);
    assert.deepEqual([...load.series[0].points.values], [2, 3]);
  });

  it('marks series loaded with @st start timestamps, and load_with_nhcb', () => {
    const load = only<LoadCommand>(
      parseScript(
        [
          'load_with_nhcb 1m',
          '  c{type="st"}@st  _ _ -30s-1mx2',
          '  c{type="st"}     _ _ 0+60x2',
          '  c{type="none"}@st _x3',
          '  c{type="none"}   1 2 3',
          '  c{type="plain"}  1 2 3',
        ].join('\n'),
      ),
      'load',
    );
    assert.ok(load.withNhcb);
    assert.deepEqual(
      load.series.map((s) => [s.labels.get('type'), s.startTimestamps]),
      [
        ['st', true],
        ['none', false],
        ['plain', false],
      ],
    );
    const bad = parseScript('load 1m\n  a@st 1m\n  b 1\n');
    assert.equal(bad[0].kind, 'broken');
    assert.match(bad[0].kind === 'broken' ? bad[0].message : '', /line 2: @st metric does not match/);
  });
});
