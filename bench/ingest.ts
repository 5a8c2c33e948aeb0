// Ingest rates, telemux beside its peers on this machine in one run, printing ratios:
// - remote_write samples/s into telemux vs VictoriaMetrics 1.79 (goal ≥ 1.0×), same request bodies
//   (1,000 samples each: 500 series × 2 scrapes), two concurrent senders;
// - Influx line protocol samples/s, the same way (goal ≥ 1.0×);
//   both targets running, the same passes of 1,000,000 samples (the next 50 scrapes of 20,000
//   series) into each in turns (the order alternating; before each, a pause until both are quiet):
//   three unmeasured, then ten measured, the rates taken over those. Steady state: V8 optimises a
//   function called once per request only after ~1,500 requests, so after a single warm-up pass
//   telemux and the sending client were still compiling (≈ 0.3 s of JIT per measured 1,000,000
//   samples), and the measured passes write known series only. Passes this long: VictoriaMetrics
//   leaves part of its work for after a short pass (480,000 samples: 0.80 and 0.82 where 1,000,000
//   gave ~1.15), so short passes measure its bursts, not its sustained rate. In turns: this shared
//   VM's speed drifts by ±30 % within a minute, and one target measured after the other took
//   different spells. Every pass's rate and each measured pair's ratio are printed, and each
//   server's CPU time (every thread, from /proc) per 1,000,000 measured samples, with 2 s of its
//   background work after them; and, for telemux's passes, how much of their time its main thread
//   ran and how much it was runnable but waiting for a CPU (schedstat), and the senders' own CPU per
//   1,000,000 samples (INGEST_PER_PASS=1: every pass's time and span on the monotonic clock, those
//   main-thread figures per pass, telemux's busiest threads with their nice values, and the CPU the
//   other target and the senders used meanwhile). The senders use node:http with keep-alive rather
//   than fetch(), which spent up to 1.7 ms of CPU per request on this 2-core machine — CPU both
//   servers need;
// - Pushgateway: 10,000 groups pushed, pushes/s and /metrics scrape time vs the real Pushgateway
//   1.5.1 (goals: 10× its push rate, half its scrape time);
// - StatsD over UDP: datagrams/s accepted with zero loss (goal ≥ 150,000/s), in turns with the
//   receive-thread mode and a bare node:dgram receiver (ingest-statsd.ts).
// telemux runs as its own process (`telemux serve` from the build, `dist/`) with a temporary store.

import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { encodeWriteRequest, type SeriesInput } from '../src/format/remote-write/index.ts';
import type { Labels } from '../src/model/labels.ts';
import { freePort, startPeer } from '../test/helpers/peer-process.ts';
import { measurePushes } from './ingest-pushgateway.ts';
import { measureStatsd } from './ingest-statsd.ts';
import { type NodeDataset, nodeDataset } from './node-dataset.ts';
import { envWords, startTelemux, type Target } from './telemux-process.ts';

// The series: the standard day's 1,000, in 20 sets (a `set` label) — 20,000 series, all sent in
// every pass. A pass: the next 50 scrapes of each (1,000,000 samples), so after the first pass the
// measured traffic is steady-state remote_write: known series, time moving on. All 13 passes cover
// 650 scrapes (2 h 42 min) ending a few minutes before the run (senders send recent samples, and
// telemux records its own metrics at the present), so the head never spans enough to cut a block
// mid-run (more than 3 h) — at these rates a longer span would cut one every few seconds, where
// real time cuts one every 2 h.
const SETS = 20;
const SLICES = 50; // scrapes per pass: a multiple of PER_BODY_SLICES
const WARMUP_PASSES = 3; // unmeasured passes first
const MEASURED_PASSES = 10;
const SETTLE_MS = Number(process.env.SETTLE_MS ?? 500);
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
    pid: peer.child.pid,
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
function remoteWriteShards(data: NodeDataset, sets: readonly Labels[][], shift: number, pass: number): Load {
  const shards: Uint8Array[][] = Array.from({ length: SHARDS }, () => []);
  let samples = 0;
  for (let from = pass * SLICES; from < (pass + 1) * SLICES; from += PER_BODY_SLICES) {
    for (const labels of sets) {
      for (let k = 0; k < SHARDS; k++) {
        const series: SeriesInput[] = [];
        for (let s = k; s < labels.length; s += SHARDS) {
          series.push({
            labels: labels[s],
            timestamps: data.ts[s].slice(from, from + PER_BODY_SLICES).map((t) => t + shift),
            values: data.values[s].slice(from, from + PER_BODY_SLICES),
          });
          samples += PER_BODY_SLICES;
        }
        shards[k].push(encodeWriteRequest({ series }));
      }
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
function influxShards(data: NodeDataset, sets: readonly Labels[][], shift: number, pass: number): Load {
  const shards: Uint8Array[][] = Array.from({ length: SHARDS }, () => []);
  const tagTexts = sets.map((labels) =>
    labels.map((l) =>
      l.pairs
        .filter((p) => p.name !== '__name__')
        .map((p) => `,${p.name}=${p.value.replace(/[ ,=]/g, (c) => `\\${c}`)}`)
        .join(''),
    ),
  );
  let samples = 0;
  for (let from = pass * SLICES; from < (pass + 1) * SLICES; from += PER_BODY_SLICES) {
    for (const tagText of tagTexts) {
      for (let k = 0; k < SHARDS; k++) {
        const lines: string[] = [];
        for (let s = k; s < tagText.length; s += SHARDS) {
          for (let i = from; i < from + PER_BODY_SLICES; i++) {
            lines.push(
              `${data.labels[s].metricName}${tagText[s]} value=${data.values[s][i]} ${data.ts[s][i] + shift}`,
            );
            samples++;
          }
        }
        shards[k].push(Buffer.from(`${lines.join('\n')}\n`));
      }
    }
  }
  return { shards, samples };
}

const fmt = (n: number) => n.toLocaleString('en-US', { maximumFractionDigits: 2 });

const CLOCK_TICKS = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;

/** Seconds thread `tid` of `pid` has spent runnable but waiting for a CPU, from /proc (schedstat). */
function runQueueSeconds(pid: number | undefined, tid: number | undefined): number {
  if (pid === undefined || tid === undefined) return Number.NaN;
  return Number(fs.readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[1]) / 1e9;
}

/**
 * Waits SETTLE_MS, then until processes `pids` are quiet together (under 10 ms of CPU in 100 ms),
 * at most 10 s: a fixed pause let one target's background work after its pass (VictoriaMetrics'
 * merges took 0.2 s of CPU after a 0.5 s pause) run into the other's measured pass.
 */
async function settled(pids: readonly (number | undefined)[]): Promise<void> {
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  const used = () => pids.reduce<number>((sum, pid) => sum + cpuSeconds(pid), 0);
  await sleep(SETTLE_MS);
  const deadline = Date.now() + 10_000;
  for (let before = used(); Date.now() < deadline; ) {
    await sleep(100);
    const now = used();
    if (now - before < 0.01) return;
    before = now;
  }
}

/** CPU seconds this process has used since `before` (a process.cpuUsage() reading). */
function cpuSecondsSince(before: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1e6;
}

/** CPU seconds per thread of process `pid` so far, with each thread's nice value: "tid/nice" → s. */
function threadCpuSeconds(pid: number | undefined): Map<string, number> {
  const out = new Map<string, number>();
  if (pid === undefined) return out;
  for (const tid of fs.readdirSync(`/proc/${pid}/task`)) {
    try {
      const fields = statFields(`/proc/${pid}/task/${tid}/stat`);
      out.set(
        `${tid === String(pid) ? 'main' : tid}/${fields[16]}`,
        (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS,
      );
    } catch {
      // The thread ended meanwhile.
    }
  }
  return out;
}

/** The threads that used the most CPU between two threadCpuSeconds readings, as text. */
function busiestThreads(before: Map<string, number>, after: Map<string, number>): string {
  return [...after]
    .map(([t, s]) => [t, s - (before.get(t) ?? 0)] as const)
    .filter(([, s]) => s >= 0.02)
    .sort((a, b) => b[1] - a[1])
    .map(([t, s]) => `${t} ${s.toFixed(2)}`)
    .join(', ');
}

/**
 * CPU seconds (user + system) process `pid` has used so far, from /proc: every thread, or only
 * thread `tid` (the main thread's id is the process id).
 */
function cpuSeconds(pid: number | undefined, tid?: number): number {
  if (pid === undefined) return Number.NaN;
  const fields = statFields(tid === undefined ? `/proc/${pid}/stat` : `/proc/${pid}/task/${tid}/stat`);
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
}

/**
 * The fields of a /proc stat file after "pid (comm) ": [0] is the state (field 3), [11] and [12]
 * utime and stime (14 and 15), [16] the nice value (19).
 */
function statFields(path: string): string[] {
  const stat = fs.readFileSync(path, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
}

/**
 * Samples per second of one protocol into telemux and into VictoriaMetrics, each on a fresh store,
 * both running: the same passes for both, taken in turns (a pass into one, then into the other; the
 * order alternates), so that a slow spell of the machine falls on both. The first WARMUP_PASSES are
 * not measured; the rates are over the rest.
 */
async function versusVictoria(
  what: string,
  path: string,
  makePass: (pass: number) => Load,
  headers: Record<string, string>,
): Promise<void> {
  const names = ['telemux', 'victoriametrics'] as const;
  // INGEST_TELEMUX_ARGS='--ingest.decode_workers=1 …': settings for the telemux measured (not the A/B peer).
  const telemux = await startTelemux(envWords('INGEST_TELEMUX_ARGS'));
  let victoria: Target | undefined;
  try {
    // INGEST_AB_BUILD=DIR: the peer is telemux from another build instead (DIR/cli.js), to compare
    // two builds in turns; its figures are printed where VictoriaMetrics' would be. Node runs it with
    // INGEST_AB_NODE_OPTIONS (not BENCH_NODE_OPTIONS), so that the same build can be compared with
    // itself under other V8 flags.
    const other = process.env.INGEST_AB_BUILD;
    victoria =
      other === undefined
        ? await startVictoria()
        : await startTelemux([], `${other}/cli.js`, envWords('INGEST_AB_NODE_OPTIONS'));
    const targets = { telemux, victoriametrics: victoria };
    const perPass: Record<string, number[]> = { telemux: [], victoriametrics: [] };
    const measured = { telemux: { samples: 0, seconds: 0 }, victoriametrics: { samples: 0, seconds: 0 } };
    const cpu = { telemux: 0, victoriametrics: 0 };
    // telemux's main thread (and the A/B peer's, when it is a telemux): its CPU time during its
    // measured passes, and its time waiting for a CPU, against their wall time.
    const mainThread = { telemux: { cpu: 0, waiting: 0 }, victoriametrics: { cpu: 0, waiting: 0 } };
    const hasMainThread = (name: (typeof names)[number]) => name === 'telemux' || other !== undefined;
    // And the senders (this process) while they send to telemux: CPU the two cores also had to give.
    let senderCpu = 0;
    for (let i = 0; i < WARMUP_PASSES + MEASURED_PASSES; i++) {
      const pass = makePass(i);
      if (i === WARMUP_PASSES) for (const name of names) cpu[name] = -cpuSeconds(targets[name].pid);
      for (const name of i % 2 === 0 ? names : [...names].reverse()) {
        // Lets both targets' background work from their passes (merges, recoding) settle first.
        await settled(names.map((n) => targets[n].pid));
        const pid = targets[name].pid;
        const mainBefore = hasMainThread(name) ? cpuSeconds(pid, pid) : 0;
        const waitingBefore = hasMainThread(name) ? runQueueSeconds(pid, pid) : 0;
        const senderBefore = process.cpuUsage();
        const startedUs = process.hrtime.bigint() / 1000n;
        const threadsBefore = threadCpuSeconds(pid);
        // The target not being measured: its background work takes the cores meanwhile.
        const idle = targets[name === 'telemux' ? 'victoriametrics' : 'telemux'].pid;
        const idleBefore = cpuSeconds(idle);
        const took = await send(`${targets[name].url}${path}`, pass.shards, headers);
        perPass[name].push(pass.samples / took);
        // INGEST_PER_PASS=1: each pass's time, and for a telemux its main thread's CPU and wait.
        if (process.env.INGEST_PER_PASS === '1')
          console.log(
            `  pass ${i} ${name}: ${took.toFixed(3)} s (monotonic µs ${startedUs}–${process.hrtime.bigint() / 1000n})${hasMainThread(name) ? `, main thread CPU ${(cpuSeconds(pid, pid) - mainBefore).toFixed(2)} s, waiting for a CPU ${(runQueueSeconds(pid, pid) - waitingBefore).toFixed(2)} s` : ''}; threads (tid/nice CPU s): ${busiestThreads(threadsBefore, threadCpuSeconds(pid))}; meanwhile the other target ${(cpuSeconds(idle) - idleBefore).toFixed(2)} s of CPU, the senders ${(cpuSecondsSince(senderBefore)).toFixed(2)} s`,
          );
        if (i >= WARMUP_PASSES) {
          if (hasMainThread(name)) {
            mainThread[name].cpu += cpuSeconds(pid, pid) - mainBefore;
            mainThread[name].waiting += runQueueSeconds(pid, pid) - waitingBefore;
          }
          if (name === 'telemux') senderCpu += cpuSecondsSince(senderBefore);
          measured[name].samples += pass.samples;
          measured[name].seconds += took;
        }
      }
    }
    // What each spent on the measured passes, its background work after them included.
    await new Promise((r) => setTimeout(r, 2000));
    for (const name of names) cpu[name] += cpuSeconds(targets[name].pid);
    const cpuPerMillion = (name: (typeof names)[number]) => cpu[name] / (measured[name].samples / 1e6);
    const rate = (name: (typeof names)[number]) => measured[name].samples / measured[name].seconds;
    const ratio = rate('telemux') / rate('victoriametrics');
    const roundRatios = perPass.telemux
      .slice(WARMUP_PASSES)
      .map((r, k) => r / perPass.victoriametrics[WARMUP_PASSES + k]);
    const mainThreadShares = (name: (typeof names)[number]) =>
      `main thread busy ${fmt((100 * mainThread[name].cpu) / measured[name].seconds)} % of its passes' time and waiting for a CPU ${fmt((100 * mainThread[name].waiting) / measured[name].seconds)} %`;
    const list = (rates: number[], scale = 1e6) => rates.map((r) => fmt(r / scale)).join(', ');
    console.log(
      `${what}, ${MEASURED_PASSES} passes of ${fmt(measured.telemux.samples / MEASURED_PASSES)} samples each measured after ${WARMUP_PASSES} of warm-up, in turns, ${SHARDS} concurrent senders: telemux ${fmt(rate('telemux') / 1e6)} M samples/s, VictoriaMetrics ${fmt(rate('victoriametrics') / 1e6)} M/s — ratio ${fmt(ratio)} (goal ≥ 1.0: ${ratio >= 1 ? 'met' : 'MISSED'}); ratio per measured pass: ${list(roundRatios, 1)}; each pass, warm-up first: telemux ${list(perPass.telemux)} M/s, VictoriaMetrics ${list(perPass.victoriametrics)} M/s; CPU per 1,000,000 samples (every thread, background work included): telemux ${fmt(cpuPerMillion('telemux'))} s, VictoriaMetrics ${fmt(cpuPerMillion('victoriametrics'))} s; telemux's ${mainThreadShares('telemux')}${other === undefined ? '' : `; the other build's ${mainThreadShares('victoriametrics')}`}; the senders' CPU per 1,000,000 samples sent to telemux ${fmt(senderCpu / (measured.telemux.samples / 1e6))} s`,
    );
  } finally {
    await telemux.stop();
    await victoria?.stop();
  }
}

/** remote_write and Influx, each beside VictoriaMetrics, on the same samples. */
async function versusVictoriaBoth(): Promise<void> {
  const data = nodeDataset('standard');
  const sets = Array.from({ length: SETS }, (_, set) => data.labels.map((l) => l.with('set', String(set))));
  // Moves the day so that the last pass ends a few minutes ago, on the same 15 s grid.
  const lastT = Math.max(...data.ts.map((ts) => ts[(WARMUP_PASSES + MEASURED_PASSES) * SLICES - 1]));
  const shift = Math.floor((Date.now() - 5 * 60_000 - lastT) / 15_000) * 15_000;
  if (wanted('remote_write'))
    await versusVictoria(
      'remote_write (1,000-sample requests)',
      '/api/v1/write',
      (pass) => remoteWriteShards(data, sets, shift, pass),
      REMOTE_WRITE_HEADERS,
    );
  if (wanted('influx'))
    await versusVictoria(
      'Influx line protocol (1,000-line requests)',
      '/write?db=bench&precision=ms',
      (pass) => influxShards(data, sets, shift, pass),
      {
        'Content-Type': 'text/plain',
      },
    );
}

/** `INGEST_ONLY=remote_write,influx npm run bench -- ingest` runs only the named parts. */
const only = (process.env.INGEST_ONLY ?? '').split(',').filter((p) => p !== '');
const wanted = (part: string) => only.length === 0 || only.includes(part);

export async function run(): Promise<void> {
  if (wanted('remote_write') || wanted('influx')) await versusVictoriaBoth();
  if (wanted('pushgateway')) {
    const push = await measurePushes();
    const pushRatio = push.telemux.pushesPerSecond / push.pushgateway.pushesPerSecond;
    console.log(
      `Pushgateway, pushing up to 10,000 groups (16 clients): telemux ${fmt(push.telemux.pushesPerSecond)} pushes/s (${fmt(push.telemux.groups)} groups), Pushgateway ${fmt(push.pushgateway.pushesPerSecond)}/s (${fmt(push.pushgateway.groups)} groups in its time budget) — ratio ${fmt(pushRatio)} (goal ≥ 10: ${pushRatio >= 10 ? 'met' : 'MISSED'})`,
    );
    // Compared at the same number of groups (the Pushgateway may reach fewer in its budget).
    const same = push.telemuxAtPeerGroups;
    const scrapeRatio = same.scrapeMs / push.pushgateway.scrapeMs;
    console.log(
      `Pushgateway, /metrics scrape (median of 7, gzip as the client asks): with ${fmt(push.pushgateway.groups)} groups, telemux ${fmt(same.scrapeMs)} ms (${fmt(same.scrapeBytes / 1e6)} MB), Pushgateway ${fmt(push.pushgateway.scrapeMs)} ms (${fmt(push.pushgateway.scrapeBytes / 1e6)} MB) — ratio ${fmt(scrapeRatio)} (goal ≤ 0.5: ${scrapeRatio <= 0.5 ? 'met' : 'MISSED'}); telemux with ${fmt(push.telemux.groups)} groups: ${fmt(push.telemux.scrapeMs)} ms (${fmt(push.telemux.scrapeBytes / 1e6)} MB)`,
    );
  }

  if (wanted('statsd')) {
    const statsd = await measureStatsd(120_000);
    const threaded = statsd.receiveThread.best?.rate ?? 0;
    const main = statsd.mainThread.best?.rate ?? 0;
    const bare = statsd.bare.best?.rate ?? 0;
    const met = [threaded >= 150_000 && 'receive thread', main >= 150_000 && 'main thread'].filter(Boolean);
    const ratio = (r: number) => (bare > 0 ? fmt(r / bare) : 'n/a');
    console.log(
      `StatsD over UDP, one line per datagram, datagrams/s with zero loss: receive thread (the default) ${fmt(threaded)}, main thread (receive_thread: false) ${fmt(main)} (goal ≥ 150,000: ${met.length > 0 ? `met by the ${met.join(' and the ')}` : 'MISSED'}); a bare node:dgram receiver on this machine now: ${fmt(bare)} (ratios ${ratio(threaded)}, ${ratio(main)}); processing alone ${fmt(statsd.inProcess)} lines/s`,
    );
  }
}
