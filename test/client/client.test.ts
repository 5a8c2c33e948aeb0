import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createSocket, type Socket } from 'node:dgram';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import * as hermes from '../../src/client/index.ts';
import { HermesClient } from '../../src/client/index.ts';

/** A UDP socket that records what it receives. */
async function capture(): Promise<{
  socket: Socket;
  port: number;
  packets: string[];
  next: (n: number) => Promise<string[]>;
}> {
  const socket = createSocket('udp4');
  const packets: string[] = [];
  socket.on('message', (m) => packets.push(m.toString('utf8')));
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  let seen = 0;
  return {
    socket,
    port: socket.address().port,
    packets,
    async next(n) {
      const deadline = Date.now() + 3000;
      while (packets.length < seen + n) {
        if (Date.now() > deadline) throw new Error(`expected ${n} packets, got ${packets.length - seen}`);
        await new Promise((r) => setTimeout(r, 2));
      }
      const out = packets.slice(seen, seen + n);
      seen += n;
      return out;
    },
  };
}

const parse = (p: string) => JSON.parse(p) as { metric_name: string; payload: Record<string, unknown> };

describe('HermesClient', () => {
  let cap: Awaited<ReturnType<typeof capture>>;
  let client: HermesClient;
  before(async () => {
    cap = await capture();
    client = new HermesClient({ port: cap.port });
  });
  after(() => {
    client.close();
    cap.socket.close();
  });

  it('defaults to 127.0.0.1:7789 and validates its options', () => {
    const c = new HermesClient();
    assert.deepEqual([c.host, c.port], ['127.0.0.1', 7789]);
    assert.throws(() => new HermesClient({ port: 0 }), TypeError);
    assert.throws(() => new HermesClient({ port: 70000 }), TypeError);
    assert.throws(() => new HermesClient({ host: '' }), TypeError);
  });

  it('sends every kind of packet in python-hermes format', async () => {
    client.incrementCounter('c', { l: 'v' });
    client.incrementGauge('g');
    client.decrementGauge('g', { l: 'v' });
    client.setGauge('g', 54, { l: 'v' });
    client.observeHistogram('h', 0.25, { l: 'v' });
    client.observeSummary('s', 2, {});
    await client.flush();
    assert.deepEqual(await cap.next(6), [
      '{"metric_name": "c", "payload": {"labels": {"l": "v"}}}',
      '{"metric_name": "g", "payload": {"operation": "increment", "labels": {}, "value": null}}',
      '{"metric_name": "g", "payload": {"operation": "decrement", "labels": {"l": "v"}, "value": null}}',
      '{"metric_name": "g", "payload": {"operation": "set", "labels": {"l": "v"}, "value": 54.0}}',
      '{"metric_name": "h", "payload": {"labels": {"l": "v"}, "observation": 0.25}}',
      '{"metric_name": "s", "payload": {"labels": {}, "observation": 2.0}}',
    ]);
    assert.equal(client.sent, 6);
  });

  it('counterWrapper counts before the call (default), for sync and async functions', async () => {
    const wrapped = client.counterWrapper((a: number, b: number) => a + b, 'calls_total', { fn: 'add' });
    assert.equal(wrapped(2, 3), 5);
    const asyncWrapped = client.counterWrapper(async (x: string) => x.toUpperCase(), 'calls_total');
    assert.equal(await asyncWrapped('a'), 'A');
    const throwing = client.counterWrapper(() => {
      throw new Error('boom');
    }, 'calls_total');
    assert.throws(throwing, /boom/);
    const packets = (await cap.next(3)).map(parse);
    assert.deepEqual(
      packets.map((p) => p.metric_name),
      ['calls_total', 'calls_total', 'calls_total'],
    );
    assert.deepEqual(packets[0].payload, { labels: { fn: 'add' } });
  });

  it('counterWrapper with preExecution: false counts only successes, after they finish', async () => {
    const opts = { preExecution: false };
    let resolve!: (v: number) => void;
    const pending = client.counterWrapper(
      () => new Promise<number>((r) => (resolve = r)),
      'done_total',
      {},
      opts,
    )();
    await client.flush();
    await new Promise((r) => setTimeout(r, 20));
    assert.equal(cap.packets.filter((p) => p.includes('done_total')).length, 0); // not yet
    resolve(7);
    assert.equal(await pending, 7);
    assert.equal(client.counterWrapper(() => 'sync', 'done_total', {}, opts)(), 'sync');
    assert.throws(
      client.counterWrapper(
        () => {
          throw new Error('x');
        },
        'done_total',
        {},
        opts,
      ),
    );
    await assert.rejects(
      client.counterWrapper(async () => Promise.reject(new Error('y')), 'done_total', {}, opts)(),
    );
    await client.flush();
    await new Promise((r) => setTimeout(r, 20));
    assert.equal(cap.packets.filter((p) => p.includes('done_total')).length, 2);
    await cap.next(2);
  });

  it('gaugeWrapper and withGauge always decrement, also when the function throws or rejects', async () => {
    const ops = async (n: number) =>
      (await cap.next(n)).map((p) => (parse(p).payload as { operation: string }).operation);
    assert.equal(client.gaugeWrapper((x: number) => x * 2, 'busy')(4), 8);
    assert.deepEqual(await ops(2), ['increment', 'decrement']);

    assert.throws(
      client.gaugeWrapper(() => {
        throw new Error('sync');
      }, 'busy'),
      /sync/,
    );
    assert.deepEqual(await ops(2), ['increment', 'decrement']);

    let release!: () => void;
    const running = client.withGauge(
      'busy',
      { job: 'a' },
      () => new Promise<string>((r) => (release = () => r('ok'))),
    );
    assert.deepEqual(await ops(1), ['increment']);
    release();
    assert.equal(await running, 'ok');
    assert.deepEqual(await ops(1), ['decrement']);

    await assert.rejects(
      client.gaugeWrapper(async () => {
        throw new Error('async');
      }, 'busy')(),
      /async/,
    );
    assert.deepEqual(await ops(2), ['increment', 'decrement']);
  });

  it('timers observe elapsed seconds into a histogram or a summary', async () => {
    const stop = client.startTimer('latency_seconds', { op: 'x' });
    await new Promise((r) => setTimeout(r, 30));
    const seconds = stop();
    assert.ok(seconds >= 0.025 && seconds < 1, String(seconds));
    const [p] = (await cap.next(1)).map(parse);
    assert.equal(p.metric_name, 'latency_seconds');
    assert.equal(p.payload.observation, seconds);

    const timed = client.timeHistogram(
      async (ms: number) => new Promise((r) => setTimeout(r, ms)),
      'work_seconds',
    );
    await timed(20);
    const failing = client.timeSummary(() => {
      throw new Error('fail');
    }, 'work_summary_seconds');
    assert.throws(failing);
    const [h, s] = (await cap.next(2)).map(parse);
    assert.equal(h.metric_name, 'work_seconds');
    assert.ok((h.payload.observation as number) >= 0.015);
    assert.equal(s.metric_name, 'work_summary_seconds');
    client.startTimer('t_summary', undefined, 'summary')();
    assert.equal(parse((await cap.next(1))[0]).metric_name, 't_summary');
  });

  it('module-level functions go through the configured shared client', async () => {
    const shared = hermes.configure('127.0.0.1', cap.port);
    assert.equal(hermes.defaultClient(), shared);
    hermes.incrementCounter('m_total', { a: 'b' });
    hermes.setGauge('m_gauge', 1.5, { a: 'b' });
    hermes.incrementGauge('m_gauge');
    hermes.decrementGauge('m_gauge');
    hermes.observeHistogram('m_hist', 3);
    hermes.observeSummary('m_sum', 4);
    hermes.counterWrapper(() => 1, 'm_wrapped')();
    hermes.gaugeWrapper(() => 1, 'm_busy')();
    hermes.withGauge('m_busy', undefined, () => 1);
    hermes.startTimer('m_timer')();
    hermes.timeHistogram(() => 1, 'm_timed')();
    hermes.timeSummary(() => 1, 'm_timed_s')();
    const names = (await cap.next(14)).map((p) => parse(p).metric_name);
    assert.deepEqual(names, [
      'm_total',
      'm_gauge',
      'm_gauge',
      'm_gauge',
      'm_hist',
      'm_sum',
      'm_wrapped',
      'm_busy',
      'm_busy',
      'm_busy',
      'm_busy',
      'm_timer',
      'm_timed',
      'm_timed_s',
    ]);
    hermes.close();
  });
});

describe('HermesClient never throws on network or input failures', () => {
  it('an unresolvable host: sends are swallowed and counted', async () => {
    const c = new HermesClient({ host: 'no-such-host.invalid', port: 7789 });
    c.incrementCounter('x');
    c.setGauge('x', 1);
    await c.flush();
    assert.equal(c.errors, 2);
    assert.equal(c.sent, 0);
    c.close();
  });

  it('an unreachable address, non-finite numbers, unreadable labels, a closed socket', async () => {
    const c = new HermesClient({ host: '127.0.0.1', port: 9 }); // discard port: nobody listens
    c.incrementCounter('x');
    await c.flush();
    assert.equal(c.errors, 0); // UDP cannot tell
    c.setGauge('x', Number.NaN);
    c.observeHistogram('x', Number.POSITIVE_INFINITY);
    c.observeSummary('x', Number.NaN);
    assert.equal(c.errors, 3);
    const evil = Object.defineProperty({}, 'l', {
      enumerable: true,
      get() {
        throw new Error('evil getter');
      },
    });
    c.incrementCounter('x', evil);
    assert.equal(c.errors, 4);
    c.incrementCounter('x', { big: 'x'.repeat(70_000) }); // larger than a UDP datagram can be
    await c.flush();
    assert.equal(c.errors, 5);
    c.close();
    c.close();
    c.incrementCounter('x'); // reopens
    await c.flush();
    assert.equal(c.sent, 2);
    c.close();
  });

  it('flush() resolves after close() even with sends waiting on DNS', async () => {
    const c = new HermesClient({ host: 'no-such-host.invalid' });
    c.incrementCounter('x');
    c.close();
    await c.flush();
  });

  it('never keeps the process alive', async () => {
    const clientPath = fileURLToPath(new URL('../../src/client/index.ts', import.meta.url));
    const script = `
      import { HermesClient } from ${JSON.stringify(clientPath)};
      const c = new HermesClient({ port: 9 });
      c.incrementCounter('x');
      c.setGauge('y', 1);
    `;
    const started = Date.now();
    const code = await new Promise<number | null>((resolve, reject) => {
      const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
        stdio: 'inherit',
      });
      const timer = setTimeout(() => {
        child.kill();
        reject(new Error('the process did not exit: the client kept it alive'));
      }, 10_000);
      child.on('exit', (c) => {
        clearTimeout(timer);
        resolve(c);
      });
    });
    assert.equal(code, 0);
    assert.ok(Date.now() - started < 10_000);
  });
});
