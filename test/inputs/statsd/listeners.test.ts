// UDP and TCP end to end: raw sockets in, registry and /metrics text out.

import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { connect, type Socket } from 'node:net';
import { describe, it } from 'node:test';
import { renderExposition } from '../../../src/format/exposition/render.ts';
import { parseMappingConfig } from '../../../src/inputs/statsd/index.ts';
import { makeHarness, type StatsdHarness, waitFor } from './harness.ts';

function handled(h: StatsdHarness): number {
  return h.received() + Object.values(h.drops()).reduce((a, b) => a + b, 0);
}

function metricsText(h: StatsdHarness): string {
  return renderExposition(h.registry.collect()).body.toString('utf8');
}

async function sendUdp(port: number, datagrams: (string | Buffer)[]): Promise<void> {
  const sock = createSocket('udp4');
  try {
    for (const d of datagrams) {
      await new Promise<void>((resolve, reject) =>
        sock.send(typeof d === 'string' ? Buffer.from(d) : d, port, '127.0.0.1', (err) =>
          err ? reject(err) : resolve(),
        ),
      );
    }
  } finally {
    sock.close();
  }
}

function tcpConnect(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = connect(port, '127.0.0.1', () => resolve(s));
    s.once('error', reject);
  });
}

function closed(s: Socket): Promise<void> {
  return new Promise((resolve) => {
    if (s.destroyed) resolve();
    else s.once('close', () => resolve());
  });
}

describe('statsd input over UDP', () => {
  it('applies every type and renders them on /metrics', async () => {
    const h = makeHarness({
      listenTcp: '',
      mapping: parseMappingConfig(
        'mappings:\n  - match: "api.*.latency"\n    name: api_latency_seconds\n    observer_type: histogram\n    buckets: [0.1, 0.5, 1]\n    labels: { endpoint: "$1" }\n',
      ),
    });
    const { udp, tcp } = await h.input.start();
    assert.equal(tcp, undefined);
    try {
      await sendUdp(udp!.port, [
        'requests:1|c|#code:200\nrequests:2|c|@0.5|#code:200',
        'temp:20|g\ntemp:-5|g\ntemp:+1.5|g',
        'api.users.latency:50|ms|#method:get\napi.users.latency:700|ms|@0.5|#method:get',
        'size,region=eu:3|h:4|h',
        'bad line\n',
      ]);
      await waitFor(() => handled(h) === 9, 3000, '9 lines');
      assert.equal(h.received(), 8);
      assert.deepEqual(h.drops(), { malformed: 1 });
      const text = metricsText(h);
      assert.match(text, /^requests\{code="200"\} 5$/m);
      assert.match(text, /^temp 16\.5$/m);
      assert.match(text, /^api_latency_seconds_bucket\{endpoint="users",method="get",le="0\.1"\} 1$/m);
      assert.match(text, /^api_latency_seconds_bucket\{endpoint="users",method="get",le="1"\} 3$/m);
      assert.match(text, /^api_latency_seconds_sum\{endpoint="users",method="get"\} 1\.45$/m);
      assert.match(text, /^api_latency_seconds_count\{endpoint="users",method="get"\} 3$/m);
      // The unmapped histogram is a summary by default (statsd_exporter's default observer).
      assert.match(text, /^# TYPE size summary$/m);
      assert.match(text, /^size_sum\{region="eu"\} 7$/m);
      assert.match(text, /^size\{region="eu",quantile="0\.5"\} [34]$/m);
    } finally {
      await h.input.stop();
    }
  });

  for (const receiveThread of [false, true]) {
    it(`10,000 mixed malformed and valid datagrams: exact counts per reason, still up (${receiveThread ? 'receive thread' : 'main thread'})`, async () => {
      const h = makeHarness({
        receiveThread,
        listenTcp: '',
        maxSeries: 50,
        maxDatagramBytes: 512,
        mapping: parseMappingConfig('mappings:\n  - match: "drop.*"\n    action: drop\n'),
      });
      const { udp } = await h.input.start();
      try {
        const kinds: [string, (i: number) => string | Buffer][] = [
          ['received', () => 'ok.count:1|c'],
          ['malformed', () => 'garbage without colon'],
          ['bad_value', () => 'm:abc|c'],
          ['unknown_type', () => 'm:1|zz'],
          ['unsupported_set', () => 'm:u|s'],
          ['bad_sample_rate', () => 'm:1|c|@7'],
          ['bad_tags', () => 'm,a=b:1|c|#c:d'],
          ['negative_counter', () => 'm:-1|c'],
          ['oversized', () => `big:1|c|#k:${'x'.repeat(600)}`],
          ['malformed', () => Buffer.from([0xff, 0xfe, 0x3a, 0x31, 0x7c, 0x63])],
          ['mapping_drop', () => 'drop.me:1|c'],
          ['series', (i) => `series.n${i}:1|g`],
          ['conflict', () => 'ok.count:1|g'],
        ];
        const expected: Record<string, number> = {};
        const datagrams: (string | Buffer)[] = [];
        let seriesLines = 0;
        for (let i = 0; i < 10_000; i++) {
          const [kind, make] = kinds[i % kinds.length];
          datagrams.push(make(i));
          if (kind === 'series') seriesLines++;
          else expected[kind] = (expected[kind] ?? 0) + 1;
        }
        // ok.count takes one series first; the `series.*` gauges get the other 49.
        expected.received += 49;
        expected.series_limit = seriesLines - 49;
        for (let i = 0; i < datagrams.length; i += 500) {
          await sendUdp(udp!.port, datagrams.slice(i, i + 500));
          await waitFor(() => handled(h) === Math.min(i + 500, datagrams.length), 5000, `batch ${i}`);
        }
        const { received, ...drops } = expected;
        assert.equal(h.received(), received);
        assert.deepEqual(h.drops(), drops);
        assert.equal(h.input.seriesCount, 50);
        assert.equal(
          (h.registry.get('ok_count')!.getChild([]) as { value: number }).value,
          expected.received - 49,
        );
        // Still up: a valid line after all that is applied.
        await sendUdp(udp!.port, ['ok.count:1000|c']);
        await waitFor(() => h.received() === received + 1);
        assert.ok(h.logger.entries.every((e) => e.level === 'debug' || e.level === 'info'));
      } finally {
        await h.input.stop();
      }
    });
  }
});

describe('statsd input over TCP', () => {
  it('newline-delimited lines, split anywhere across packets, last line without newline', async () => {
    const h = makeHarness({ listenUdp: '' });
    const { tcp } = await h.input.start();
    try {
      const s = await tcpConnect(tcp!.port);
      s.write('a:1|c\nb:2');
      await new Promise((r) => setTimeout(r, 20));
      s.write('|g\r\nc:3|ms|#k:v\n\nd:');
      await new Promise((r) => setTimeout(r, 20));
      s.end('4|c');
      await waitFor(() => h.received() === 4, 3000, '4 lines');
      const text = metricsText(h);
      assert.match(text, /^a 1$/m);
      assert.match(text, /^b 2$/m);
      assert.match(text, /^c_count\{k="v"\} 1$/m);
      assert.match(text, /^d 4$/m);
    } finally {
      await h.input.stop();
    }
  });

  it('garbage and over-long lines close that connection only; counted, never a crash', async () => {
    const h = makeHarness({ listenUdp: '', maxDatagramBytes: 256 });
    const { tcp } = await h.input.start();
    try {
      const good = await tcpConnect(tcp!.port);
      const binary = await tcpConnect(tcp!.port);
      const long = await tcpConnect(tcp!.port);
      const noNewline = await tcpConnect(tcp!.port);
      good.write('x:1|c\nnot a statsd line\n');
      binary.write(
        Buffer.from([
          0x61, 0x3a, 0x31, 0x7c, 0x63, 0x0a, 0xc3, 0x28, 0x0a, 0x62, 0x3a, 0x31, 0x7c, 0x63, 0x0a,
        ]),
      );
      long.write(`y:1|c|#k:${'z'.repeat(300)}\n`);
      noNewline.write('q'.repeat(1000));
      await Promise.all([closed(binary), closed(long), closed(noNewline)]);
      good.write('x:2|c\n');
      await waitFor(() => h.received() === 3, 3000, 'good lines');
      assert.deepEqual(h.drops(), { malformed: 2, oversized: 2 });
      assert.equal((h.registry.get('x')!.getChild([]) as { value: number }).value, 3);
      assert.equal(h.registry.get('b'), undefined); // after the bad bytes, the connection was gone
      assert.ok(!good.destroyed);
      good.end();
      await closed(good);
    } finally {
      await h.input.stop();
    }
  });

  it('stop() closes open connections; start() twice is refused', async () => {
    const h = makeHarness();
    const { udp, tcp } = await h.input.start();
    assert.ok(udp!.port > 0 && tcp!.port > 0);
    await assert.rejects(() => h.input.start(), /already started/);
    const s = await tcpConnect(tcp!.port);
    await h.input.stop();
    await closed(s);
    assert.equal(h.input.addresses, undefined);
  });
});
