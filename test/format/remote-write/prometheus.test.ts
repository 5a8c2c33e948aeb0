// A real sender: Debian's Prometheus 2.42 scrapes itself every second and remote-writes to a tiny
// node:http receiver here; the first requests must decode, with `up` and metric metadata in them.

import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import { test } from 'node:test';
import { type DecodedWriteRequest, decodeWriteRequest } from '../../../src/format/remote-write/index.ts';
import { eventually, freePort, startSelfScrapingPrometheus } from '../../helpers/prometheus.ts';

test('decodes what a real Prometheus remote-writes', { timeout: 120_000 }, async (t) => {
  const received: { headers: IncomingHttpHeaders; req: DecodedWriteRequest }[] = [];
  const errors: unknown[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      try {
        received.push({
          headers: req.headers,
          req: decodeWriteRequest(Buffer.concat(chunks), { maxDecompressedBytes: 32 << 20 }),
        });
        res.writeHead(204).end();
      } catch (err) {
        errors.push(err);
        res.writeHead(400).end(String(err));
      }
    });
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  t.after(
    () =>
      new Promise<void>((resolve) => {
        // Prometheus keeps its connection alive; close would wait for it forever.
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );

  const prom = await startSelfScrapingPrometheus(`http://127.0.0.1:${port}/api/v1/write`);
  t.after(() => prom.stop());

  await eventually(
    async () =>
      received.some((r) => r.req.series.some((s) => s.labels.metricName === 'up')) &&
      received.some((r) => r.req.metadata.length > 0),
    60_000,
  );
  assert.deepEqual(errors, []);

  const withUp = received.find((r) => r.req.series.some((s) => s.labels.metricName === 'up'))!;
  assert.equal(withUp.headers['content-encoding'], 'snappy');
  assert.equal(withUp.headers['content-type'], 'application/x-protobuf');
  assert.equal(withUp.headers['x-prometheus-remote-write-version'], '0.1.0');
  assert.match(String(withUp.headers['user-agent']), /^Prometheus\//);
  const up = withUp.req.series.find((s) => s.labels.metricName === 'up')!;
  assert.equal(up.labels.get('job'), 'self');
  assert.equal(up.labels.get('instance'), new URL(prom.url).host);
  assert.ok(up.values.length >= 1 && up.values[0] === 1);
  assert.ok(Math.abs(up.timestamps[0] - Date.now()) < 120_000, 'timestamps are milliseconds since the epoch');

  const meta = received.flatMap((r) => r.req.metadata);
  const build = meta.find((m) => m.metricFamilyName === 'prometheus_build_info');
  assert.equal(build?.type, 'gauge');
  assert.ok(build.help.length > 0);
  assert.ok(meta.some((m) => m.type === 'counter'));
  assert.ok(meta.some((m) => m.type === 'histogram' || m.type === 'summary'));
});
