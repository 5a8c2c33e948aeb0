// Parity check of telemux's push API against the real Pushgateway (Debian's prometheus-pushgateway
// 1.5.1): both are started on loopback ports, the same sequence of good and bad pushes is sent to
// each, and after every step the status code and the groups' /metrics are compared (push times
// normalised to "0" or "T", families and series sorted, the Pushgateway's own go_/process_/
// pushgateway_ metrics left out). Differences are printed one per line as `<step>: <what>`; the
// deliberate ones are listed in docs/pushgateway.md and asserted by
// test/inputs/pushgateway/parity.test.ts.
//
//   node --import tsx scripts/pushgateway-parity.ts [--bin=/usr/bin/prometheus-pushgateway]

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { pino } from 'pino';
import { compress } from 'snappyjs';
import { createApp } from '../src/api/app.ts';
import { formatGoFloat } from '../src/format/exposition/numbers.ts';
import { renderExposition } from '../src/format/exposition/render.ts';
import { encodeDelimitedMetricFamilies } from '../src/inputs/pushgateway/protobuf.ts';
import { pushgatewayRoutes } from '../src/inputs/pushgateway/routes.ts';
import { PushGroupStore } from '../src/inputs/pushgateway/store.ts';
import { Labels } from '../src/model/labels.ts';
import { freePort, type Peer, startPeer } from '../test/helpers/peer-process.ts';

export const DEFAULT_PUSHGATEWAY_BIN = '/usr/bin/prometheus-pushgateway';
const PROTO_CT =
  'application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited';

export interface Step {
  readonly name: string;
  readonly method: 'GET' | 'PUT' | 'POST' | 'DELETE';
  readonly path: string;
  readonly body?: string | Uint8Array;
  readonly headers?: Record<string, string>;
}

const text = (
  name: string,
  method: Step['method'],
  path: string,
  body: string,
  headers?: Record<string, string>,
): Step => ({
  name,
  method,
  path,
  body,
  headers,
});

/** The sequence both servers get. */
export function paritySteps(): Step[] {
  const proto = encodeDelimitedMetricFamilies([
    {
      name: 'po',
      type: 'counter',
      help: 'A protobuf counter.',
      unit: '',
      metrics: [{ labels: Labels.from({ x: 'a' }), value: 4 }],
    },
    { name: 'pr', type: 'gauge', help: '', unit: '', metrics: [{ labels: Labels.EMPTY, value: -1.5 }] },
    {
      name: 'ps',
      type: 'summary',
      help: '',
      unit: '',
      metrics: [{ labels: Labels.EMPTY, count: 3, sum: 1.5, quantiles: [{ quantile: 0.5, value: 0.25 }] }],
    },
  ]);
  const protoTs = encodeDelimitedMetricFamilies([
    {
      name: 'pt',
      type: 'gauge',
      help: '',
      unit: '',
      metrics: [{ labels: Labels.EMPTY, value: 1, timestampMs: 5 }],
    },
  ]);
  return [
    text(
      'put counter',
      'PUT',
      '/metrics/job/p1',
      '# HELP pa A counter.\n# TYPE pa counter\npa{x="1"} 3\npb 2\n',
    ),
    text('type conflict across groups', 'PUT', '/metrics/job/p2', '# TYPE pa gauge\npa 1\n'),
    text('timestamp', 'PUT', '/metrics/job/p3', 'pc 1 1234\n'),
    text('bad metric name', 'PUT', '/metrics/job/p3', 'p-c 1\n'),
    text('base64 value with slashes', 'PUT', '/metrics/job/p4/path@base64/L3Zhci90bXA', 'pd 1\n'),
    text('base64 empty value', 'PUT', '/metrics/job/p5/x@base64/=', 'pd 2\n'),
    text('base64 job', 'PUT', '/metrics/job@base64/YS9i', 'pd 3\n'),
    text('base64 empty job', 'PUT', '/metrics/job@base64/=', 'pd 3\n'),
    text('bad base64', 'PUT', '/metrics/job/p6/x@base64/!!', 'pd 4\n'),
    text('odd components', 'PUT', '/metrics/job/p6/x', 'pd 4\n'),
    text('reserved label in path', 'PUT', '/metrics/job/p6/__x/1', 'pd 4\n'),
    text('invalid label name in path', 'PUT', '/metrics/job/p6/1x/1', 'pd 4\n'),
    text('reserved label in body', 'PUT', '/metrics/job/p6', 'pe{__x="1"} 1\n'),
    text('empty value without base64', 'PUT', '/metrics/job/p6/x/', 'pd 5\n'),
    text('repeated path label', 'PUT', '/metrics/job/p6/y/a/y/b', 'pd 6\n'),
    text('job in path labels', 'PUT', '/metrics/job/p6/job/other', 'pd 7\n'),
    text(
      'grouping labels override',
      'PUT',
      '/metrics/job/p7/instance/i1',
      'pf{job="other",instance="zz",y="2"} 1\n',
    ),
    text('POST adds a family', 'POST', '/metrics/job/p1', '# TYPE pg gauge\npg 5\n'),
    text(
      'large and special values',
      'PUT',
      '/metrics/job/p22',
      'pw{k="a"} 1234567\npw{k="b"} 1e-7\npw{k="c"} NaN\npw{k="d"} -Inf\n',
    ),
    text('POST replaces a family', 'POST', '/metrics/job/p1', 'pb 7\n'),
    text('PUT replaces the group', 'PUT', '/metrics/job/p7/instance/i1', 'ph 1\n'),
    text('empty PUT', 'PUT', '/metrics/job/p8', ''),
    text('empty POST', 'POST', '/metrics/job/p9', ''),
    text('missing final newline', 'PUT', '/metrics/job/p10', 'pi 1'),
    text('CRLF', 'PUT', '/metrics/job/p10', 'pi 1\r\n'),
    text('duplicate series in a push', 'PUT', '/metrics/job/p10', 'pj{x="1"} 1\npj{x="1"} 2\n'),
    text('series for a cross-group duplicate', 'PUT', '/metrics/job/p11', 'pk{a="1"} 1\n'),
    text('cross-group duplicate', 'PUT', '/metrics/job/p11/a/1', 'pk 2\n'),
    text(
      'summary',
      'PUT',
      '/metrics/job/p12',
      '# TYPE pl summary\npl{quantile="0.9"} 2\npl_sum 1\npl_count 1\n',
    ),
    text('suffix collision', 'PUT', '/metrics/job/p13', 'pl_count 3\n'),
    text(
      'histogram',
      'PUT',
      '/metrics/job/p13',
      '# TYPE pm histogram\npm_bucket{le="0.5"} 1\npm_bucket{le="+Inf"} 2\npm_sum 3\npm_count 2\n',
    ),
    {
      name: 'gzip',
      method: 'PUT',
      path: '/metrics/job/p14',
      body: gzipSync('pn 1\n'),
      headers: { 'content-encoding': 'gzip' },
    },
    {
      name: 'protobuf',
      method: 'PUT',
      path: '/metrics/job/p15',
      body: proto,
      headers: { 'content-type': PROTO_CT },
    },
    {
      name: 'protobuf timestamp',
      method: 'PUT',
      path: '/metrics/job/p15',
      body: protoTs,
      headers: { 'content-type': PROTO_CT },
    },
    {
      name: 'protobuf garbage',
      method: 'PUT',
      path: '/metrics/job/p15',
      body: new Uint8Array([0x0a, 0xff, 0xff, 0x01, 0x02]),
      headers: { 'content-type': PROTO_CT },
    },
    {
      name: 'binary text body',
      method: 'PUT',
      path: '/metrics/job/p16',
      body: new Uint8Array([0, 1, 2, 0xff, 10]),
    },
    {
      name: 'snappy',
      method: 'PUT',
      path: '/metrics/job/p17',
      body: compress(new TextEncoder().encode('pp 1\n')),
      headers: { 'content-encoding': 'snappy' },
    },
    text('empty label value in body', 'PUT', '/metrics/job/p18', 'pq{x=""} 1\n'),
    text('percent-encoded slash in value', 'PUT', '/metrics/job/p19/x/a%2Fb', 'pu 1\n'),
    text('push_time_seconds pushed', 'PUT', '/metrics/job/p20', 'push_time_seconds 3\n'),
    text('OpenMetrics content type', 'PUT', '/metrics/job/p21', 'pv 1\n# EOF\n', {
      'content-type': 'application/openmetrics-text; version=1.0.0',
    }),
    { name: 'GET on a push path', method: 'GET', path: '/metrics/job/p1' },
    { name: 'DELETE a group', method: 'DELETE', path: '/metrics/job/p1' },
    { name: 'DELETE a missing group', method: 'DELETE', path: '/metrics/job/nope' },
    { name: 'DELETE base64 group', method: 'DELETE', path: '/metrics/job/p4/path@base64/L3Zhci90bXA' },
    { name: 'wipe', method: 'PUT', path: '/api/v1/admin/wipe' },
  ];
}

const EXCLUDED = /^(go_|process_|pushgateway_|promhttp_)/;
const PUSH_TIMES = new Set(['push_time_seconds', 'push_failure_time_seconds']);

/** /metrics normalised: own metrics dropped, families sorted, series sorted, push times as 0/T. */
export function normaliseExposition(body: string): string[] {
  const fams = new Map<string, { head: string[]; samples: string[] }>();
  let current = '';
  const fam = (name: string) => {
    let f = fams.get(name);
    if (f === undefined) {
      f = { head: [], samples: [] };
      fams.set(name, f);
    }
    return f;
  };
  for (const line of body.split('\n')) {
    if (line === '') continue;
    const meta = /^# (HELP|TYPE) (\S+)/.exec(line);
    if (meta) {
      current = meta[2];
      if (!EXCLUDED.test(current)) fam(current).head.push(line);
      continue;
    }
    if (line.startsWith('#') || EXCLUDED.test(current)) continue;
    // Values are compared as numbers: telemux's text writer spells safe integers plainly (1234567
    // where client_golang writes 1.234567e+06).
    const sample = line.replace(/ (\S+)$/, (_m, v: string) =>
      PUSH_TIMES.has(current) ? (v === '0' ? ' 0' : ' T') : ` ${formatGoFloat(parseGoFloat(v))}`,
    );
    fam(current).samples.push(sample);
  }
  const out: string[] = [];
  for (const name of [...fams.keys()].sort()) {
    const f = fams.get(name)!;
    out.push(...f.head.sort(), ...f.samples.sort());
  }
  return out;
}

/** The step after which GET /api/v1/metrics of both is compared. */
const API_CHECKPOINT = 'GET on a push path';

/** /api/v1/metrics' groups by their labels, times normalised as in {@link normaliseExposition}. */
export function normaliseApiMetrics(doc: unknown): Map<string, string> {
  const out = new Map<string, string>();
  for (const g of (doc as { data: Record<string, unknown>[] }).data) {
    const norm: Record<string, unknown> = {};
    for (const key of Object.keys(g).sort()) {
      if (key === 'expires_at') continue;
      const v = g[key] as Record<string, unknown>;
      if (key === 'labels' || key === 'last_push_successful') {
        norm[key] = v;
        continue;
      }
      const metrics = (v.metrics as Record<string, unknown>[]).map((m) =>
        PUSH_TIMES.has(key) ? { ...m, value: m.value === '0' ? '0' : 'T' } : m,
      );
      norm[key] = { ...v, time_stamp: 'T', metrics };
    }
    out.set(JSON.stringify(g.labels), JSON.stringify(norm));
  }
  return out;
}

function parseGoFloat(v: string): number {
  return v === '+Inf' ? Number.POSITIVE_INFINITY : v === '-Inf' ? Number.NEGATIVE_INFINITY : Number(v);
}

export interface ParityResult {
  readonly steps: { name: string; real: number; telemux: number; realBody: string; telemuxBody: string }[];
  /** `<step>: status <real> vs <telemux>` or `<step>: /metrics: -<only real> / +<only telemux>`. */
  readonly differences: string[];
}

/** A difference without its details: `<step>: status a vs b`, `<step>: /metrics`, `/api/v1/metrics: group {…}`. */
export function summariseDifference(d: string): string {
  const m = /^(.*?): \/metrics: /.exec(d);
  if (m) return `${m[1]}: /metrics`;
  const a = /^(\/api\/v1\/metrics: group .*?): /.exec(d);
  return a ? a[1] : d;
}

/** The deliberate differences (docs/pushgateway.md, "Parity"), as {@link summariseDifference} gives them. */
export const EXPECTED_DIFFERENCES: readonly string[] = [
  'snappy: status 400 vs 200',
  'snappy: /metrics',
  'empty label value in body: /metrics',
  'percent-encoded slash in value: status 400 vs 200',
  'percent-encoded slash in value: /metrics',
  '/api/v1/metrics: group {"job":"p18"}',
  '/api/v1/metrics: group {"job":"p17"}',
  '/api/v1/metrics: group {"job":"p19","x":"a/b"}',
];

async function send(base: string, step: Step): Promise<{ status: number; body: string }> {
  const res = await fetch(base + step.path, {
    method: step.method,
    headers: step.headers,
    body: step.method === 'GET' || step.body === undefined ? undefined : step.body,
    redirect: 'manual',
  });
  return { status: res.status, body: (await res.text()).trim() };
}

export async function runParity(bin = DEFAULT_PUSHGATEWAY_BIN): Promise<ParityResult> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'pg-parity-'));
  const realBase = `http://127.0.0.1:${port}`;
  let peer: Peer | undefined;
  const store = new PushGroupStore();
  const app = createApp({ logger: pino({ level: 'silent' }), bodyLimitBytes: 16 * 1024 * 1024 });
  await app.register(pushgatewayRoutes, { store });
  app.get('/metrics', async (req, reply) => {
    const r = renderExposition(store.collect(), req.headers.accept, undefined);
    return reply.type(r.contentType).send(r.body);
  });
  try {
    peer = await startPeer(
      bin,
      [
        `--web.listen-address=127.0.0.1:${port}`,
        '--web.enable-admin-api',
        // Debian's build defaults to /var/lib/prometheus/pushgateway.data: use a fresh file.
        `--persistence.file=${join(dir, 'pg.data')}`,
        '--log.level=error',
      ],
      `${realBase}/-/ready`,
    );
    const telemuxBase = await app.listen({ host: '127.0.0.1', port: 0 });
    const steps: ParityResult['steps'][number][] = [];
    const differences: string[] = [];
    // Once the states diverge, later steps would repeat the difference: report only what is new.
    let known = new Set<string>();
    for (const step of paritySteps()) {
      const real = await send(realBase, step);
      const ours = await send(telemuxBase, step);
      steps.push({
        name: step.name,
        real: real.status,
        telemux: ours.status,
        realBody: real.body,
        telemuxBody: ours.body,
      });
      if (real.status !== ours.status)
        differences.push(`${step.name}: status ${real.status} vs ${ours.status}`);
      // Deletes and wipes are queued by the Pushgateway (202): let them land.
      if (real.status === 202) await new Promise((r) => setTimeout(r, 100));
      const a = normaliseExposition(await (await fetch(`${realBase}/metrics`)).text());
      const b = normaliseExposition(await (await fetch(`${telemuxBase}/metrics`)).text());
      const diff = [
        ...a.filter((l) => !b.includes(l)).map((l) => `-${l}`),
        ...b.filter((l) => !a.includes(l)).map((l) => `+${l}`),
      ];
      const fresh = diff.filter((d) => !known.has(d));
      known = new Set(diff);
      if (fresh.length > 0) differences.push(`${step.name}: /metrics: ${fresh.join(' ')}`);
      if (step.name === API_CHECKPOINT) {
        const ra = normaliseApiMetrics(await (await fetch(`${realBase}/api/v1/metrics`)).json());
        const ta = normaliseApiMetrics(await (await fetch(`${telemuxBase}/api/v1/metrics`)).json());
        for (const [k, v] of ra)
          if (ta.get(k) !== v)
            differences.push(`/api/v1/metrics: group ${k}: -${v} +${ta.get(k) ?? 'missing'}`);
        for (const k of ta.keys())
          if (!ra.has(k)) differences.push(`/api/v1/metrics: group ${k}: only in telemux`);
      }
    }
    return { steps, differences };
  } finally {
    await peer?.stop();
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const bin = process.argv.find((a) => a.startsWith('--bin='))?.slice(6) ?? DEFAULT_PUSHGATEWAY_BIN;
  const result = await runParity(bin);
  const verbose = process.argv.includes('--verbose');
  for (const s of result.steps)
    if (verbose || s.real !== s.telemux)
      console.log(`${s.real} ${s.telemux} ${s.name}\n  real:    ${s.realBody}\n  telemux: ${s.telemuxBody}`);
  console.log(`\n${result.differences.length} difference(s):`);
  for (const d of result.differences) console.log(d);
  const unexpected = result.differences
    .map(summariseDifference)
    .filter((d) => !EXPECTED_DIFFERENCES.includes(d));
  if (unexpected.length > 0) {
    console.log(`\nnot listed as deliberate:\n${unexpected.join('\n')}`);
    process.exitCode = 1;
  }
}
