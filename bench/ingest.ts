// Ingest rates, telemux beside its peers on this machine in one run, printing ratios:
// - remote_write samples/s into telemux vs VictoriaMetrics 1.79 (goal ≥ 1.0×), same request bodies
//   (1,000 samples each: 500 series × 2 scrapes), two concurrent senders;
// - Influx line protocol samples/s, the same way (goal ≥ 1.0×);
//   six passes of the same 1,000,000 samples into each target, every pass on series of its own
//   (a `pass` label), the first three unmeasured and the rate taken over the last three, so the
//   figures are steady-state rates and neither side pays for a cold start: V8 optimises a function
//   called once per request only after ~1,500 requests, so after a single warm-up pass telemux and
//   the sending client were still compiling (≈ 0.3 s of JIT per measured 1,000,000 samples). Every
//   pass's rate is printed. The senders use node:http
//   with keep-alive rather than fetch(), which spent up to 1.7 ms of CPU per request on this 2-core
//   machine — CPU both servers need;
// - Pushgateway: 10,000 groups pushed, pushes/s and /metrics scrape time vs the real Pushgateway
//   1.5.1 (goals: 10× its push rate, half its scrape time);
// - StatsD over UDP: datagrams/s accepted with zero loss (goal ≥ 150,000/s).
// telemux runs as its own process (`telemux serve` from the build, `dist/`) with a temporary store.

import * as fs from 'node:fs';
import * as http from 'node:http';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { encodeWriteRequest, type SeriesInput } from '../src/format/remote-write/index.ts';
import { freePort, startPeer } from '../test/helpers/peer-process.ts';
import { measurePushes } from './ingest-pushgateway.ts';
import { measureStatsd } from './ingest-statsd.ts';
import { type NodeDataset, nodeDataset } from './node-dataset.ts';
import { startTelemux, type Target } from './telemux-process.ts';

const SLICES = 1000; // scrapes of the standard day's 1,000 series: 1,000,000 samples
const WARMUP_PASSES = 3; // unmeasured passes first
const MEASURED_PASSES = 3;
const PER_BODY_SLICES = 2;
const SHARDS = 2;
const VICTORIA_BIN = '/usr/bin/victoria-metrics';

async function startVictoria(): Promise<Target> {
  const dir = fs.mkdtempSync(path.join(tmpdir(), 'telemux-bench-vm-'));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const peer = await startPeer(
    VICTORIA_BIN,
    [`-storageDataPath=${dir}`, `-httpListenAddr=127.0.0.1:${port}`, '-retentionPeriod=100y'],
    `${url}/health`,
  );
  return {
    url,
    async stop() {
      await peer.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

interface Load {
  readonly shards: Uint8Array[][];
  readonly samples: number;
}

/** Request bodies per shard: series split by index, each shard in time order. */
function remoteWriteShards(data: NodeDataset, slices: number, pass: string): Load {
  const shards: Uint8Array[][] = Array.from({ length: SHARDS }, () => []);
  const labels = data.labels.map((l) => l.with('pass', pass));
  let samples = 0;
  for (let from = 0; from < slices; from += PER_BODY_SLICES) {
    for (let k = 0; k < SHARDS; k++) {
      const series: SeriesInput[] = [];
      for (let s = k; s < data.labels.length; s += SHARDS) {
        series.push({
          labels: labels[s],
          timestamps: data.ts[s].slice(from, from + PER_BODY_SLICES),
          values: data.values[s].slice(from, from + PER_BODY_SLICES),
        });
        samples += PER_BODY_SLICES;
      }
      shards[k].push(encodeWriteRequest({ series }));
    }
  }
  return { shards, samples };
}

/** Keep-alive connections, one per sender. */
const agent = new http.Agent({ keepAlive: true, maxSockets: SHARDS });

function post(url: URL, body: Uint8Array, headers: Record<string, string>): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      { agent, method: 'POST', headers: { ...headers, 'Content-Length': String(body.length) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const status = res.statusCode ?? 0;
          if (status >= 200 && status < 300) resolve();
          else reject(new Error(`${url}: HTTP ${status}: ${Buffer.concat(chunks)}`));
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** Sends each shard's bodies in order, the shards concurrently; returns the seconds taken. */
async function send(url: string, shards: Uint8Array[][], headers: Record<string, string>): Promise<number> {
  const target = new URL(url);
  const started = performance.now();
  await Promise.all(
    shards.map(async (bodies) => {
      for (const body of bodies) await post(target, body, headers);
    }),
  );
  return (performance.now() - started) / 1000;
}

const REMOTE_WRITE_HEADERS = {
  'Content-Encoding': 'snappy',
  'Content-Type': 'application/x-protobuf',
  'X-Prometheus-Remote-Write-Version': '0.1.0',
};

/** The same samples as Influx lines (`measurement,tags value=v ts` in ms), per shard, 1,000 lines a body. */
function influxShards(data: NodeDataset, slices: number, pass: string): Load {
  const shards: Uint8Array[][] = Array.from({ length: SHARDS }, () => []);
  const tagText = data.labels.map((l) =>
    l
      .with('pass', pass)
      .pairs.filter((p) => p.name !== '__name__')
      .map((p) => `,${p.name}=${p.value.replace(/[ ,=]/g, (c) => `\\${c}`)}`)
      .join(''),
  );
  let samples = 0;
  for (let from = 0; from < slices; from += PER_BODY_SLICES) {
    for (let k = 0; k < SHARDS; k++) {
      const lines: string[] = [];
      for (let s = k; s < data.labels.length; s += SHARDS) {
        for (let i = from; i < from + PER_BODY_SLICES; i++) {
          lines.push(`${data.labels[s].metricName}${tagText[s]} value=${data.values[s][i]} ${data.ts[s][i]}`);
          samples++;
        }
      }
      shards[k].push(Buffer.from(`${lines.join('\n')}\n`));
    }
  }
  return { shards, samples };
}

const fmt = (n: number) => n.toLocaleString('en-US', { maximumFractionDigits: 2 });

/**
 * Samples per second of one protocol into telemux and into VictoriaMetrics, each on a fresh store:
 * the same passes for both, the first WARMUP_PASSES unmeasured, the rate over the rest.
 */
async function versusVictoria(
  what: string,
  path: string,
  passes: readonly Load[],
  headers: Record<string, string>,
): Promise<void> {
  const rates: Record<string, number> = {};
  const perPass: Record<string, number[]> = {};
  for (const [name, start] of [
    ['telemux', startTelemux],
    ['victoriametrics', startVictoria],
  ] as const) {
    const target = await start();
    try {
      perPass[name] = [];
      let samples = 0;
      let seconds = 0;
      for (const [i, pass] of passes.entries()) {
        const took = await send(`${target.url}${path}`, pass.shards, headers);
        perPass[name].push(pass.samples / took);
        if (i >= WARMUP_PASSES) {
          samples += pass.samples;
          seconds += took;
        }
      }
      rates[name] = samples / seconds;
    } finally {
      await target.stop();
    }
  }
  const ratio = rates.telemux / rates.victoriametrics;
  const list = (name: string) => perPass[name].map((r) => fmt(r / 1e6)).join(', ');
  console.log(
    `${what}, ${MEASURED_PASSES} passes of ${fmt(passes[0].samples)} samples measured after ${WARMUP_PASSES} of warm-up, ${SHARDS} concurrent senders: telemux ${fmt(rates.telemux / 1e6)} M samples/s, VictoriaMetrics ${fmt(rates.victoriametrics / 1e6)} M/s — ratio ${fmt(ratio)} (goal ≥ 1.0: ${ratio >= 1 ? 'met' : 'MISSED'}); each pass, warm-up first (fresh processes): telemux ${list('telemux')} M/s, VictoriaMetrics ${list('victoriametrics')} M/s`,
  );
}

/** Every pass alike: 1,000,000 samples on series of its own (a `pass` label), so each creates as many series. */
const passes = (make: (pass: string) => Load): Load[] =>
  Array.from({ length: WARMUP_PASSES + MEASURED_PASSES }, (_, i) => make(`${i + 1}`));

/** `INGEST_ONLY=remote_write,influx npm run bench -- ingest` runs only the named parts. */
const only = (process.env.INGEST_ONLY ?? '').split(',').filter((p) => p !== '');
const wanted = (part: string) => only.length === 0 || only.includes(part);

export async function run(): Promise<void> {
  const data = nodeDataset('standard');
  if (wanted('remote_write'))
    await versusVictoria(
      'remote_write (1,000-sample requests)',
      '/api/v1/write',
      passes((pass) => remoteWriteShards(data, SLICES, pass)),
      REMOTE_WRITE_HEADERS,
    );
  if (wanted('influx'))
    await versusVictoria(
      'Influx line protocol (1,000-line requests)',
      '/write?db=bench&precision=ms',
      passes((pass) => influxShards(data, SLICES, pass)),
      {
        'Content-Type': 'text/plain',
      },
    );

  if (wanted('pushgateway')) {
    const push = await measurePushes();
    const pushRatio = push.telemux.pushesPerSecond / push.pushgateway.pushesPerSecond;
    console.log(
      `Pushgateway, pushing up to 10,000 groups (16 clients): telemux ${fmt(push.telemux.pushesPerSecond)} pushes/s (${fmt(push.telemux.groups)} groups), Pushgateway ${fmt(push.pushgateway.pushesPerSecond)}/s (${fmt(push.pushgateway.groups)} groups in its time budget) — ratio ${fmt(pushRatio)} (goal ≥ 10: ${pushRatio >= 10 ? 'met' : 'MISSED'})`,
    );
    // The Pushgateway may hold fewer groups than telemux: compare the time per group scraped.
    const perGroup = (f: { scrapeMs: number; groups: number }) => f.scrapeMs / f.groups;
    const scrapeRatio = perGroup(push.telemux) / perGroup(push.pushgateway);
    console.log(
      `Pushgateway, /metrics scrape: telemux ${fmt(push.telemux.scrapeMs)} ms for ${fmt(push.telemux.groups)} groups (${fmt(push.telemux.scrapeBytes / 1e6)} MB), Pushgateway ${fmt(push.pushgateway.scrapeMs)} ms for ${fmt(push.pushgateway.groups)} groups (${fmt(push.pushgateway.scrapeBytes / 1e6)} MB) — time per group, telemux ÷ Pushgateway: ${fmt(scrapeRatio)} (goal ≤ 0.5: ${scrapeRatio <= 0.5 ? 'met' : 'MISSED'})`,
    );
  }

  if (wanted('statsd')) {
    const statsd = await measureStatsd(40_000);
    const rate = statsd.best?.rate ?? 0;
    console.log(
      `StatsD over UDP, one line per datagram: ${fmt(rate)} datagrams/s with zero loss (goal ≥ 150,000: ${rate >= 150_000 ? 'met' : 'MISSED'}); processing alone ${fmt(statsd.inProcess)} lines/s`,
    );
  }
}
