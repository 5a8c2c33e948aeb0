// The StatsD input: UDP datagrams and newline-delimited TCP lines in statsd_exporter's dialect,
// mapped by a statsd_exporter mapping file and applied to a Registry. Every line is either counted
// as received or dropped with a reason; nothing a client sends can crash the process.

import { isUtf8 } from 'node:buffer';
import type { RemoteInfo } from 'node:dgram';
import { type AddressInfo, createServer, type Server, type Socket } from 'node:net';
import { parseListenAddress } from '../../config/address.ts';
import { StatsdParseError } from '../../format/statsd/errors.ts';
import {
  counterIncrement,
  observationCount,
  observedValue,
  parseLine,
  parseNumberBytes,
  type StatsdParseOptions,
  type StatsdSample,
} from '../../format/statsd/line.ts';
import type { Counter } from '../../registry/counter.ts';
import { RegistryError } from '../../registry/errors.ts';
import type { Gauge } from '../../registry/gauge.ts';
import type { Histogram } from '../../registry/histogram.ts';
import { labelValuesKey } from '../../registry/label-key.ts';
import type { AnyFamily, Registry } from '../../registry/registry.ts';
import { type InputCounters, type InputMetrics, inputCounters } from '../../registry/self-metrics.ts';
import type { Summary } from '../../registry/summary.ts';
import { listenUdpInput, senderText, type UdpListener } from '../udp-receiver/listen.ts';
import type { StatsdConfig } from './config.ts';
import { STATSD_DROP_REASONS, type StatsdDropReason } from './drop-reasons.ts';
import { LineShapes } from './line-shapes.ts';
import {
  EMPTY_MAPPING,
  loadMappingFile,
  type MappingConfig,
  type MappingResult,
  type MetricKind,
  StatsdMapper,
} from './mapping.ts';

/** The logging this input needs; a pino Logger fits. */
export interface StatsdLogger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
  isLevelEnabled?(level: string): boolean;
}

export interface StatsdInputOptions {
  /** Where the StatsD families live. */
  readonly registry: Registry;
  readonly inputMetrics: InputMetrics;
  readonly logger: StatsdLogger;
  /** UDP `host:port` (default 127.0.0.1:8125; port 0 picks a free one; '' = off). */
  readonly listenUdp?: string;
  /** TCP `host:port`, newline-delimited (default 127.0.0.1:8125; '' = off). */
  readonly listenTcp?: string;
  /** Parsed mapping file (see loadMappingFile); default: no mappings. */
  readonly mapping?: MappingConfig;
  /** Most live series this input creates (default 100,000); more are dropped as `series_limit`. */
  readonly maxSeries?: number;
  /** Larger datagrams, and longer TCP lines, are dropped as `oversized` (default 65507). */
  readonly maxDatagramBytes?: number;
  /** SO_RCVBUF to ask for (default 16 MiB; the kernel may cap it, see net.core.rmem_max). */
  readonly recvBufferSize?: number;
  /** Receive UDP on a thread of its own, which keeps reading while the main thread is busy (default true). */
  readonly receiveThread?: boolean;
  /** Most TCP connections at once (default 1024). */
  readonly maxTcpConnections?: number;
  /** How often series past their ttl are removed (default 1000 ms). */
  readonly ttlCheckIntervalMs?: number;
  /** Time source in ms (tests inject one). Default Date.now. */
  readonly now?: () => number;
  /** Tag styles to recognise (all on by default). */
  readonly parse?: StatsdParseOptions;
  /** `input` label of the self-metrics (default 'statsd'). */
  readonly inputName?: string;
}

export interface StatsdAddresses {
  readonly udp?: AddressInfo;
  readonly tcp?: AddressInfo;
}

export const DEFAULT_STATSD_LISTEN = '127.0.0.1:8125';
export const MAX_UDP_PAYLOAD = 65507;
const DEFAULT_RECV_BUFFER = 16 * 1024 * 1024;
const PREVIEW_CHARS = 256;

type FamilyKind = 'counter' | 'gauge' | 'histogram' | 'summary';
type AnyChild = Counter | Gauge | Histogram | Summary;

interface SeriesEntry {
  readonly values: readonly string[];
  readonly child: AnyChild;
  last: number;
  ttlMs: number;
}

/** Where a line of one shape lands, and how its value is applied there. */
interface SampleTarget {
  /** The sample the shape was learnt from: type, rate and tags hold for every line of the shape. */
  readonly sample: StatsdSample;
  readonly kind: FamilyKind;
  readonly series: SeriesEntry;
  readonly scale: number;
  readonly ttlMs: number;
}

interface FamilyEntry {
  readonly kind: FamilyKind;
  /** Sorted label names joined by ','. */
  readonly labelKey: string;
  readonly family: AnyFamily;
  readonly series: Map<string, SeriesEntry>;
}

/** Options from the `statsd:` config section (reads the mapping file; throws StatsdMappingError). */
export function statsdInputOptionsFromConfig(
  cfg: StatsdConfig,
): Pick<
  StatsdInputOptions,
  'listenUdp' | 'listenTcp' | 'mapping' | 'maxSeries' | 'maxDatagramBytes' | 'receiveThread'
> {
  return {
    listenUdp: cfg.listen_udp,
    receiveThread: cfg.receive_thread,
    listenTcp: cfg.listen_tcp,
    mapping: cfg.mapping_file === '' ? EMPTY_MAPPING : loadMappingFile(cfg.mapping_file),
    maxSeries: cfg.max_series,
    maxDatagramBytes: cfg.max_datagram_bytes,
  };
}

function parseAddress(what: string, text: string): { host: string; port: number } | undefined {
  if (text === '') return undefined;
  const a = parseListenAddress(text);
  if (typeof a === 'string') throw new RangeError(`statsd: ${what}: ${a}`);
  return a;
}

export class StatsdInput {
  readonly #registry: Registry;
  readonly #logger: StatsdLogger;
  readonly #counters: InputCounters<StatsdDropReason>;
  readonly #udpAt: { host: string; port: number } | undefined;
  readonly #tcpAt: { host: string; port: number } | undefined;
  readonly #maxSeries: number;
  readonly #maxBytes: number;
  readonly #recvBufferSize: number;
  readonly #receiveThread: boolean;
  readonly #maxTcpConnections: number;
  readonly #ttlCheckMs: number;
  readonly #now: () => number;
  readonly #parseOpts: StatsdParseOptions | undefined;
  #mapper: StatsdMapper;
  readonly #families = new Map<string, FamilyEntry>();
  #series = 0;
  readonly #scratch: StatsdSample[] = [];
  /** What repeated lines resolved to; cleared whenever a series or the mapping goes away. */
  readonly #shapes = new LineShapes<SampleTarget>();
  readonly #knownShapeSample: { -readonly [K in keyof StatsdSample]: StatsdSample[K] } = {
    name: '',
    type: 'c',
    value: 0,
    relative: false,
    sampleRate: 1,
    tags: {},
  };
  #udp: UdpListener | undefined;
  #tcp: Server | undefined;
  readonly #connections = new Set<Socket>();
  #timer: NodeJS.Timeout | undefined;
  #addresses: StatsdAddresses | undefined;

  constructor(opts: StatsdInputOptions) {
    this.#registry = opts.registry;
    this.#logger = opts.logger;
    this.#udpAt = parseAddress('listen_udp', opts.listenUdp ?? DEFAULT_STATSD_LISTEN);
    this.#tcpAt = parseAddress('listen_tcp', opts.listenTcp ?? DEFAULT_STATSD_LISTEN);
    this.#maxSeries = opts.maxSeries ?? 100_000;
    this.#maxBytes = opts.maxDatagramBytes ?? MAX_UDP_PAYLOAD;
    this.#recvBufferSize = opts.recvBufferSize ?? DEFAULT_RECV_BUFFER;
    this.#receiveThread = opts.receiveThread ?? true;
    this.#maxTcpConnections = opts.maxTcpConnections ?? 1024;
    this.#ttlCheckMs = opts.ttlCheckIntervalMs ?? 1000;
    this.#now = opts.now ?? Date.now;
    this.#parseOpts = opts.parse;
    for (const [k, v] of [
      ['maxSeries', this.#maxSeries],
      ['maxDatagramBytes', this.#maxBytes],
      ['maxTcpConnections', this.#maxTcpConnections],
      ['ttlCheckIntervalMs', this.#ttlCheckMs],
    ] as const) {
      if (!(Number.isInteger(v) && v > 0)) throw new RangeError(`statsd: ${k} must be a positive integer`);
    }
    this.#mapper = new StatsdMapper(opts.mapping ?? EMPTY_MAPPING);
    this.#counters = inputCounters(opts.inputMetrics, opts.inputName ?? 'statsd', STATSD_DROP_REASONS);
  }

  /** Bind the listeners; resolves with the bound addresses (real ports when 0 was asked). */
  async start(): Promise<StatsdAddresses> {
    if (this.#addresses !== undefined) throw new Error('statsd input already started');
    let udp: AddressInfo | undefined;
    let tcp: AddressInfo | undefined;
    try {
      if (this.#udpAt !== undefined) udp = await this.#startUdp(this.#udpAt.host, this.#udpAt.port);
      if (this.#tcpAt !== undefined) tcp = await this.#startTcp(this.#tcpAt.host, this.#tcpAt.port);
    } catch (err) {
      await this.stop();
      throw err;
    }
    this.#timer = setInterval(() => {
      try {
        this.expire();
      } catch (err) {
        this.#logger.error({ err }, 'statsd: ttl sweep failed');
      }
    }, this.#ttlCheckMs);
    this.#timer.unref();
    this.#addresses = { udp, tcp };
    return this.#addresses;
  }

  /** Close the listeners and connections. The families and their values stay in the registry. */
  async stop(): Promise<void> {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
    this.#addresses = undefined;
    const udp = this.#udp;
    const tcp = this.#tcp;
    this.#udp = undefined;
    this.#tcp = undefined;
    for (const c of this.#connections) c.destroy();
    this.#connections.clear();
    await Promise.all([udp?.close(), tcp && new Promise<void>((resolve) => tcp.close(() => resolve()))]);
  }

  /** The bound addresses while started. */
  get addresses(): StatsdAddresses | undefined {
    return this.#addresses;
  }

  /** Live series this input holds. */
  get seriesCount(): number {
    return this.#series;
  }

  /** Swap the mapping (e.g. after a reload). Existing series keep their families. */
  setMapping(mapping: MappingConfig): void {
    this.#mapper = new StatsdMapper(mapping);
    this.#shapes.clear();
  }

  /**
   * Remove series not updated within their ttl (as of `now`); a family left without series is
   * unregistered, so its name can come back with other labels. Returns how many were removed.
   */
  expire(now: number = this.#now()): number {
    let removed = 0;
    for (const [name, entry] of this.#families) {
      let hit = false;
      for (const [key, s] of entry.series) {
        if (s.ttlMs > 0 && now - s.last >= s.ttlMs) {
          entry.family.remove(s.values);
          entry.series.delete(key);
          this.#series--;
          removed++;
          hit = true;
        }
      }
      if (hit) this.#shapes.clear();
      if (hit && entry.series.size === 0) {
        this.#registry.unregister(name);
        this.#families.delete(name);
      }
    }
    return removed;
  }

  /** Apply one datagram (lines separated by `\n`) as if it had arrived on UDP. Returns lines dropped. */
  handleDatagram(datagram: Buffer, from?: RemoteInfo | string): number {
    if (datagram.length > this.#maxBytes) {
      this.#drop('oversized', `${datagram.length} bytes`, from);
      return 1;
    }
    // Line by line as bytes: a line whose shape is known is applied without becoming a string (see
    // line-shapes.ts); a line that is not UTF-8 is malformed, and the others in the datagram count.
    let dropped = 0;
    let start = 0;
    while (start <= datagram.length) {
      let nl = datagram.indexOf(0x0a, start);
      if (nl < 0) nl = datagram.length;
      if (this.#handleLineAt(datagram, start, nl, from) !== null) dropped++;
      start = nl + 1;
    }
    return dropped;
  }

  /**
   * Apply one line given as text (no newline). Returns null when accepted, else why it was dropped.
   * Lines that arrive as bytes take #handleLineAt, which finds known shapes first.
   */
  handleLine(line: string, from?: RemoteInfo | string): StatsdDropReason | null {
    const samples = this.#scratch;
    samples.length = 0;
    try {
      parseLine(line, samples, this.#parseOpts);
    } catch (err) {
      if (err instanceof StatsdParseError) return this.#drop(err.reason, line, from, err.message);
      this.#logger.error({ err }, 'statsd: unexpected error while parsing a line');
      return this.#drop('internal_error', line, from);
    }
    let reason: StatsdDropReason | null = null;
    for (let i = 0; i < samples.length; i++) {
      let r: SampleTarget | StatsdDropReason;
      try {
        r = this.#apply(samples[i]);
      } catch (err) {
        this.#logger.error({ err }, 'statsd: unexpected error while applying a sample');
        r = 'internal_error';
      }
      if (typeof r === 'string') reason ??= r;
      else if (samples.length === 1) this.#shapes.set(line, r);
    }
    samples.length = 0;
    if (reason !== null) return this.#drop(reason, line, from);
    this.#counters.received.inc();
    return null;
  }

  /**
   * The line `buf[start, end)` (a trailing `\r` is dropped; an empty line is not one): by its known
   * shape, else in full if it is UTF-8, else dropped as malformed. Null when accepted.
   */
  #handleLineAt(
    buf: Buffer,
    start: number,
    end: number,
    from?: RemoteInfo | string,
  ): StatsdDropReason | null {
    if (end > start && buf[end - 1] === 0x0d) end--;
    if (end === start) return null;
    let known: StatsdDropReason | null | undefined;
    try {
      known = this.#applyKnownShape(buf, start, end);
    } catch (err) {
      this.#logger.error({ err }, 'statsd: unexpected error while applying a sample');
      known = 'internal_error';
    }
    if (known === null) {
      this.#counters.received.inc();
      return null;
    }
    if (known !== undefined) return this.#drop(known, buf.toString('utf8', start, end), from);
    const b = buf.subarray(start, end);
    if (!isUtf8(b))
      return this.#drop('malformed', b.subarray(0, PREVIEW_CHARS).toString('latin1'), from, 'not UTF-8');
    return this.handleLine(b.toString('utf8'), from);
  }

  #drop(
    reason: StatsdDropReason,
    line: string,
    from?: RemoteInfo | string,
    detail?: string,
  ): StatsdDropReason {
    this.#counters.dropped[reason].inc();
    if (this.#logger.isLevelEnabled?.('debug') ?? true) {
      try {
        this.#logger.debug(
          {
            reason,
            detail,
            from: senderText(from),
            line: line.length > PREVIEW_CHARS ? `${line.slice(0, PREVIEW_CHARS)}…` : line,
          },
          'statsd line dropped',
        );
      } catch {
        // a throwing logger must not turn a drop into a crash
      }
    }
    return reason;
  }

  /** Resolve a sample to its series (creating family and series as needed), then apply it. */
  #apply(s: StatsdSample): SampleTarget | StatsdDropReason {
    const kind: MetricKind = s.type === 'c' ? 'counter' : s.type === 'g' ? 'gauge' : 'observer';
    if (kind === 'counter' && s.value < 0) return 'negative_counter';
    const m = this.#mapper.map(s.name, kind);
    if (m.action === 'drop') return 'mapping_drop';
    if (m.name === '') return 'conflict';

    // Labels: tags, then the mapping's labels (which win unless honor_labels).
    const tags = s.tags;
    let merged: Readonly<Record<string, string>> = tags;
    if (m.labels.length > 0) {
      const out: Record<string, string> = { ...tags };
      for (const [k, v] of m.labels) if (!m.honorLabels || out[k] === undefined) out[k] = v;
      merged = out;
    }
    const names = Object.keys(merged);
    if (names.length > 1) names.sort();
    const values: string[] = new Array(names.length);
    for (let i = 0; i < names.length; i++) values[i] = merged[names[i]];

    const familyKind: FamilyKind = kind === 'observer' ? m.observerType : kind;
    const labelKey = names.join(',');
    let entry = this.#families.get(m.name);
    if (entry === undefined) {
      if (this.#series >= this.#maxSeries) return 'series_limit';
      const family = this.#register(m, familyKind, names);
      if (family === undefined) return 'conflict';
      entry = { kind: familyKind, labelKey, family, series: new Map() };
      this.#families.set(m.name, entry);
    } else if (entry.kind !== familyKind || entry.labelKey !== labelKey) {
      return 'conflict';
    }

    const key = labelValuesKey(values);
    let series = entry.series.get(key);
    if (series === undefined) {
      if (this.#series >= this.#maxSeries) return 'series_limit';
      const child = entry.family.tryLabels(values) as AnyChild | undefined;
      if (child === undefined) return 'series_limit';
      series = { values, child, last: 0, ttlMs: 0 };
      entry.series.set(key, series);
      this.#series++;
    }
    const target: SampleTarget = { sample: s, kind: entry.kind, series, scale: m.scale, ttlMs: m.ttlMs };
    return this.#update(target, s) ?? target;
  }

  /** Apply sample `s` (of `target`'s shape) to `target`'s series. */
  #update(target: SampleTarget, s: StatsdSample): StatsdDropReason | null {
    if (target.kind === 'counter' && s.value < 0) return 'negative_counter';
    const series = target.series;
    series.last = this.#now();
    series.ttlMs = target.ttlMs;
    const scale = target.scale;
    switch (target.kind) {
      case 'counter': {
        const inc = counterIncrement(s) * scale;
        if (!(inc >= 0)) return 'negative_counter'; // a negative `scale`
        (series.child as Counter).inc(inc);
        break;
      }
      case 'gauge':
        if (s.relative) (series.child as Gauge).inc(s.value * scale);
        else (series.child as Gauge).set(s.value * scale);
        break;
      default: {
        const child = series.child as Histogram | Summary;
        const v = observedValue(s) * scale;
        for (let n = observationCount(s); n > 0; n--) child.observe(v);
      }
    }
    return null;
  }

  /**
   * The line `buf[start, end)` when its shape is known (see line-shapes.ts): its value parsed and
   * applied. Undefined when the shape is unknown or the value does not parse (the full parser then
   * says why).
   */
  #applyKnownShape(buf: Buffer, start: number, end: number): StatsdDropReason | null | undefined {
    const shapes = this.#shapes;
    const target = shapes.get(buf, start, end);
    if (target === undefined) return undefined;
    const value = parseNumberBytes(buf, shapes.valueStart, shapes.valueEnd);
    if (value === undefined) return undefined;
    const t = target.sample;
    const c0 = buf[shapes.valueStart];
    const relative = t.type === 'g' && (c0 === 0x2b || c0 === 0x2d);
    // One reused object, not one per line: #update reads it and keeps nothing of it.
    const s = this.#knownShapeSample;
    s.name = t.name;
    s.type = t.type;
    s.value = value;
    s.relative = relative;
    s.sampleRate = t.sampleRate;
    s.tags = t.tags;
    return this.#update(target, s);
  }

  #register(m: MappingResult, kind: FamilyKind, labelNames: string[]): AnyFamily | undefined {
    const base = { name: m.name, help: m.help, labelNames };
    try {
      switch (kind) {
        case 'counter':
          return this.#registry.counter(base);
        case 'gauge':
          return this.#registry.gauge(base);
        case 'histogram':
          return this.#registry.histogram({ ...base, buckets: m.buckets });
        case 'summary':
          return this.#registry.summary({
            ...base,
            quantiles: m.quantiles,
            maxAgeMs: m.maxAgeMs,
            ageBuckets: m.ageBuckets,
          });
      }
    } catch (err) {
      if (!(err instanceof RegistryError)) throw err;
      if (this.#logger.isLevelEnabled?.('debug') ?? true) {
        this.#logger.debug({ name: m.name, err: err.message }, 'statsd: family refused by the registry');
      }
      return undefined;
    }
  }

  async #startUdp(host: string, port: number): Promise<AddressInfo> {
    const udp = await listenUdpInput('statsd', this.#logger, this.#counters.dropped.overloaded, {
      host,
      port,
      recvBufferSize: this.#recvBufferSize,
      thread: this.#receiveThread,
      onDatagram: (datagram, from) => this.handleDatagram(datagram, from),
    });
    this.#udp = udp;
    return udp.address;
  }

  async #startTcp(host: string, port: number): Promise<AddressInfo> {
    const server = createServer((sock) => this.#onConnection(sock));
    server.maxConnections = this.#maxTcpConnections;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    server.on('error', (err) => this.#logger.error({ err }, 'statsd tcp server error'));
    this.#tcp = server;
    return server.address() as AddressInfo;
  }

  #onConnection(sock: Socket): void {
    this.#connections.add(sock);
    const peer = `${sock.remoteAddress}:${sock.remotePort}`;
    const max = this.#maxBytes;
    let pending: Buffer[] = [];
    let pendingLen = 0;
    let closed = false;
    const close = (reason: StatsdDropReason, detail: string): void => {
      closed = true;
      this.#drop(reason, '', peer, detail);
      sock.destroy();
    };
    /** One complete line; false when the connection must be closed (bytes that are not UTF-8). */
    const line = (bytes: Buffer): boolean => {
      if (bytes.length > max) {
        close('oversized', `line of ${bytes.length} bytes`);
        return false;
      }
      let end = bytes.length;
      if (end > 0 && bytes[end - 1] === 0x0d) end--;
      // Bytes that are not UTF-8 close the connection: the stream has lost its way.
      if (end > 0 && !isUtf8(bytes.subarray(0, end))) {
        close('malformed', 'not UTF-8; closing the connection');
        return false;
      }
      this.#handleLineAt(bytes, 0, bytes.length, peer);
      return true;
    };
    sock.on('data', (chunk: Buffer) => {
      if (closed) return;
      try {
        let start = 0;
        for (let nl = chunk.indexOf(0x0a); nl >= 0; nl = chunk.indexOf(0x0a, start)) {
          let bytes = chunk.subarray(start, nl);
          if (pendingLen > 0) {
            pending.push(bytes);
            bytes = Buffer.concat(pending, pendingLen + bytes.length);
            pending = [];
            pendingLen = 0;
          }
          if (!line(bytes)) return;
          start = nl + 1;
        }
        if (start < chunk.length) {
          pending.push(chunk.subarray(start));
          pendingLen += chunk.length - start;
          if (pendingLen > max) close('oversized', `line longer than ${max} bytes`);
        }
      } catch {
        // only a throwing logger can get here
      }
    });
    sock.on('end', () => {
      try {
        if (!closed && pendingLen > 0) line(Buffer.concat(pending, pendingLen));
      } catch {
        // as above
      }
      pending = [];
      pendingLen = 0;
      sock.end();
    });
    sock.on('error', (err) => {
      try {
        this.#logger.debug({ err, peer }, 'statsd tcp connection error');
      } catch {
        // as above
      }
    });
    sock.on('close', () => this.#connections.delete(sock));
  }
}
