// 10,000 generated datagrams over real UDP, malformed ones (each with exactly one defect) mixed
// with valid ones. The input must stay up, apply every valid packet, and count every invalid one
// under the reason its defect calls for: the totals must match exactly. Seeded, so reproducible.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { HermesDropReason } from '../../../src/inputs/hermes/index.ts';
import { DEFAULT_BUCKETS, Registry } from '../../../src/registry/index.ts';
import { startHermes } from './harness.ts';

const SEED = Number(process.env.HERMES_FUZZ_SEED ?? 0x5eed);
const TOTAL = 10_000;
const BATCH = 250;
const MAX_DATAGRAM = 2048;
const PER_FAMILY_LIMIT = 50;

const DEFINITIONS = {
  service_name: 'fuzz',
  counters: [
    { metric_name: 'f_counter', metric_description: '', labels: ['a'] },
    { metric_name: 'f_plain', metric_description: '', labels: [] },
    { metric_name: 'f_ids', metric_description: '', labels: ['id'] },
  ],
  gauges: [
    { metric_name: 'f_updown', metric_description: '', labels: ['a', 'b'] },
    { metric_name: 'f_set', metric_description: '', labels: ['a'] },
  ],
  histograms: [{ metric_name: 'f_hist', metric_description: '', labels: ['a'] }],
  summaries: [{ metric_name: 'f_summary', metric_description: '', labels: ['a'] }],
};
const LABELS: Record<string, string[]> = {
  f_counter: ['a'],
  f_plain: [],
  f_ids: ['id'],
  f_updown: ['a', 'b'],
  f_set: ['a'],
  f_hist: ['a'],
  f_summary: ['a'],
};
const VALUES = ['a', 'b b', 'ünï 🚀', '"q"', '\\', ''];

/** mulberry32: small, seedable, good enough for test data. */
function prng(seed: number) {
  let s = seed >>> 0;
  const next = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (n: number) => Math.floor(next() * n),
    pick: <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)],
    chance: (p: number) => next() < p,
  };
}

type Rng = ReturnType<typeof prng>;
type Payload = Record<string, unknown>;

interface Expected {
  counters: Map<string, number>;
  updown: Map<string, number>;
  sets: Map<string, Set<number>>;
  hist: Map<string, number[]>;
  summary: Map<string, number[]>;
  ids: number;
}

const keyOf = (labels: Record<string, string>, names: string[]) =>
  JSON.stringify(names.map((n) => labels[n]));

function labelsFor(rng: Rng, metric: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const n of LABELS[metric]) out[n] = rng.pick(VALUES);
  return out;
}

/** A valid packet (as an object), and what it does to the expected state. */
function validPacket(rng: Rng, exp: Expected, nextId: () => number): Payload {
  const metric = rng.pick(['f_counter', 'f_plain', 'f_updown', 'f_set', 'f_hist', 'f_summary', 'f_ids']);
  const labels = metric === 'f_ids' ? { id: String(nextId()) } : labelsFor(rng, metric);
  const payload: Payload = { labels };
  if (metric === 'f_plain' && rng.chance(0.3)) payload.labels = null;
  if (rng.chance(0.1)) payload.unrelated = rng.int(5); // unknown payload keys are ignored, as by Go
  const key = keyOf(labels, LABELS[metric]);
  switch (metric) {
    case 'f_counter':
    case 'f_plain':
      exp.counters.set(`${metric}${key}`, (exp.counters.get(`${metric}${key}`) ?? 0) + 1);
      if (rng.chance(0.2)) payload.value = 3; // ignored for counters
      break;
    case 'f_ids':
      exp.ids++;
      break;
    case 'f_updown': {
      const op = rng.pick(['increment', 'decrement'] as const);
      payload.operation = op;
      if (rng.chance(0.5)) payload.value = null;
      exp.updown.set(key, (exp.updown.get(key) ?? 0) + (op === 'increment' ? 1 : -1));
      break;
    }
    case 'f_set': {
      const v = Math.round((rng.next() - 0.5) * 2000) / 10;
      payload.operation = 'set';
      payload.value = v;
      exp.sets.set(key, (exp.sets.get(key) ?? new Set()).add(v));
      break;
    }
    default: {
      const v = Math.round(rng.next() * 20_000) / 1000;
      payload.observation = v;
      const m = metric === 'f_hist' ? exp.hist : exp.summary;
      m.set(key, [...(m.get(key) ?? []), v]);
    }
  }
  const packet: Payload = { metric_name: metric, payload };
  if (rng.chance(0.05)) packet.extra = 'ignored';
  return packet;
}

/** A packet with exactly one defect, and the reason it must be dropped for. */
function invalidPacket(rng: Rng): [Buffer, HermesDropReason] {
  const encode = (v: unknown) => Buffer.from(JSON.stringify(v));
  const metric = rng.pick(['f_counter', 'f_updown', 'f_set', 'f_hist', 'f_summary']);
  const base = (): Payload => {
    const payload: Payload = { labels: labelsFor(rng, metric) };
    if (metric === 'f_updown') payload.operation = rng.pick(['increment', 'decrement']);
    if (metric === 'f_set') Object.assign(payload, { operation: 'set', value: 1 });
    if (metric === 'f_hist' || metric === 'f_summary') payload.observation = 1;
    return payload;
  };
  const reason = rng.pick([
    'bad_json',
    'not_an_object',
    'unknown_metric',
    'unknown_label',
    'missing_label',
    'bad_label_value',
    'bad_operation',
    'bad_value',
    'oversized',
  ] as const);
  switch (reason) {
    case 'bad_json': {
      const kind = rng.int(4);
      if (kind === 0) {
        const text = JSON.stringify({ metric_name: metric, payload: base() });
        return [Buffer.from(text.slice(0, 1 + rng.int(text.length - 1))), reason]; // truncated
      }
      if (kind === 1) {
        const bytes = Buffer.alloc(1 + rng.int(200));
        for (let i = 0; i < bytes.length; i++) bytes[i] = rng.int(256);
        bytes[0] = 1 + rng.int(8); // a control character: never the start of JSON
        return [bytes, reason];
      }
      if (kind === 2) {
        const chars = 'xyz{}[]",:0123456789 abc\\';
        let s = 'x';
        for (let i = rng.int(100); i > 0; i--) s += rng.pick([...chars]);
        return [Buffer.from(s), reason];
      }
      return [
        Buffer.from(rng.pick(['', '{', '{"metric_name": }', "{'metric_name': 'f_counter'}", 'NaN'])),
        reason,
      ];
    }
    case 'not_an_object': {
      const kind = rng.int(3);
      if (kind === 0) return [encode(rng.pick([[1, 2], 42, 'str', true, null, []])), reason];
      if (kind === 1) return [encode({ metric_name: metric, payload: rng.pick([1, 'x', [], true]) }), reason];
      return [
        encode({ metric_name: metric, payload: { ...base(), labels: rng.pick([['a'], 'a', 5, true]) } }),
        reason,
      ];
    }
    case 'unknown_metric': {
      const kind = rng.int(3);
      if (kind === 0) return [encode({ metric_name: `nope_${rng.int(1000)}`, payload: base() }), reason];
      if (kind === 1) return [encode({ payload: base() }), reason];
      return [encode({ metric_name: rng.pick([1, null, ['f_counter'], {}]), payload: base() }), reason];
    }
    case 'unknown_label': {
      const payload = base();
      payload.labels = { ...(payload.labels as object), [rng.pick(['zz', 'label_1', 'A', 'le'])]: 'v' };
      return [encode({ metric_name: metric, payload }), reason];
    }
    case 'missing_label': {
      const payload = base();
      const kind = rng.int(3);
      if (kind === 0) {
        const labels = { ...(payload.labels as Record<string, string>) };
        delete labels[rng.pick(LABELS[metric])];
        payload.labels = labels;
      } else if (kind === 1) payload.labels = null;
      else delete payload.labels;
      return [encode({ metric_name: metric, payload }), reason];
    }
    case 'bad_label_value': {
      const payload = base();
      const labels: Record<string, unknown> = { ...(payload.labels as object) };
      labels[rng.pick(LABELS[metric])] = rng.pick([1, null, true, {}, ['x']]);
      payload.labels = labels;
      return [encode({ metric_name: metric, payload }), reason];
    }
    case 'bad_operation': {
      const payload: Payload = { labels: labelsFor(rng, 'f_updown') };
      if (rng.chance(0.7)) payload.operation = rng.pick(['inc', 'INCREMENT', 'add', '', 1, null, ['set']]);
      return [encode({ metric_name: 'f_updown', payload }), reason];
    }
    case 'bad_value': {
      if (rng.chance(0.5)) {
        const payload: Payload = { labels: labelsFor(rng, 'f_set'), operation: 'set' };
        const kind = rng.int(3);
        if (kind === 0) payload.value = rng.pick([null, '1', true, [1], {}]);
        if (kind === 2)
          return [
            Buffer.from(JSON.stringify({ metric_name: 'f_set', payload }).replace('}}', ',"value":1e999}}')),
            reason,
          ];
        return [encode({ metric_name: 'f_set', payload }), reason];
      }
      const target = rng.pick(['f_hist', 'f_summary']);
      const payload: Payload = { labels: labelsFor(rng, target) };
      if (rng.chance(0.6)) payload.observation = rng.pick([null, '65.4', false, [1]]);
      return [encode({ metric_name: target, payload }), reason];
    }
    case 'oversized': {
      const payload = base();
      const size = MAX_DATAGRAM + 1 + rng.int(5000);
      const text = JSON.stringify({ metric_name: metric, payload, pad: '' });
      return [Buffer.from(text.replace('"pad":""', `"pad":"${'p'.repeat(size - text.length)}"`)), reason];
    }
  }
}

describe('hermes input under 10,000 mixed datagrams', () => {
  it('stays up and counts every datagram exactly: valid ones applied, invalid ones by reason', async () => {
    const rng = prng(SEED);
    const registry = new Registry({ maxSeriesPerFamily: PER_FAMILY_LIMIT });
    const h = await startHermes({ definitions: DEFINITIONS, maxDatagramBytes: MAX_DATAGRAM, registry });
    const exp: Expected = {
      counters: new Map(),
      updown: new Map(),
      sets: new Map(),
      hist: new Map(),
      summary: new Map(),
      ids: 0,
    };
    let id = 0;
    const expectedDrops = new Map<HermesDropReason, number>();
    let valid = 0;
    try {
      for (let sent = 0; sent < TOTAL; ) {
        const batch: Buffer[] = [];
        for (let i = 0; i < BATCH && sent < TOTAL; i++, sent++) {
          if (rng.chance(0.5)) {
            batch.push(Buffer.from(JSON.stringify(validPacket(rng, exp, () => id++))));
            valid++;
          } else {
            const [datagram, reason] = invalidPacket(rng);
            batch.push(datagram);
            expectedDrops.set(reason, (expectedDrops.get(reason) ?? 0) + 1);
          }
        }
        await h.send(batch);
        await h.waitForHandled(sent, 10_000);
      }
      assert.equal(h.handled(), TOTAL, `seed ${SEED}`);

      // Series beyond the per-family limit are the only valid packets refused.
      const idsAccepted = Math.min(exp.ids, PER_FAMILY_LIMIT);
      expectedDrops.set('cardinality_limit', exp.ids - idsAccepted);
      assert.equal(h.received(), valid - (exp.ids - idsAccepted), `seed ${SEED}`);
      for (const [reason, count] of expectedDrops)
        assert.equal(h.dropped(reason), count, `${reason} (seed ${SEED})`);
      assert.equal(h.dropped('internal_error'), 0);

      // The values: counters, up/down gauges, histograms and summaries are order-independent.
      for (const [key, count] of exp.counters) {
        const metric = key.startsWith('f_plain') ? 'f_plain' : 'f_counter';
        const values = JSON.parse(key.slice(metric.length)) as string[];
        assert.equal(h.counter(metric).getChild(values)?.value, count, key);
      }
      for (const [key, v] of exp.updown)
        assert.equal(h.gauge('f_updown').getChild(JSON.parse(key))?.value, v);
      for (const [key, vs] of exp.sets) assert.ok(vs.has(h.gauge('f_set').getChild(JSON.parse(key))!.value));
      for (const [key, vs] of exp.hist) {
        const child = h.histogram('f_hist').getChild(JSON.parse(key))!;
        assert.equal(child.count, vs.length);
        assert.deepEqual(
          child.buckets().map((b) => b.cumulativeCount),
          [...DEFAULT_BUCKETS, Number.POSITIVE_INFINITY].map((le) => vs.filter((v) => v <= le).length),
        );
      }
      for (const [key, vs] of exp.summary) {
        const child = h.summary('f_summary').getChild(JSON.parse(key))!;
        assert.equal(child.count, vs.length);
        assert.ok(Math.abs(child.sum - vs.reduce((a, b) => a + b, 0)) < 1e-6);
      }
      assert.equal(h.counter('f_ids').size, idsAccepted);

      // Still up and accepting.
      await h.send([JSON.stringify({ metric_name: 'f_plain', payload: {} })]);
      await h.waitForHandled(TOTAL + 1);
      assert.equal(h.received(), valid - (exp.ids - idsAccepted) + 1);
    } finally {
      await h.close();
    }
  });
});
