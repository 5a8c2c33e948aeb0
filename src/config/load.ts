// Loading: defaults ← config file (YAML or JSON) ← environment ← `--dotted.key=value` flags,
// validated by the schema. Every error names the key and where its value came from (file:line:col,
// the environment variable, or the flag), so a newcomer can find the typo.

import { readFileSync } from 'node:fs';
import { type Document, isMap, isPair, isScalar, LineCounter, parseDocument, parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { settingsFromEnv } from './env.ts';
import { type Config, configSchema } from './schema.ts';

export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(problems.join('\n'));
  }
}

export interface ConfigSources {
  /** Path of a YAML or JSON config file. */
  readonly file?: string;
  /** Environment to read the original tools' variables from (default: none). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Overrides as `dotted.key=value` (the leading `--` already removed). */
  readonly overrides?: readonly string[];
}

type Origin = string;
type Raw = Record<string, unknown>;

export function loadConfig(sources: ConfigSources = {}): Config {
  const raw: Raw = {};
  const origins = new Map<string, Origin>();
  const problems: string[] = [];
  let fileDoc: { doc: Document; lines: LineCounter; path: string } | undefined;

  if (sources.file !== undefined) {
    fileDoc = readConfigFile(sources.file, problems);
    if (fileDoc) {
      const value = fileDoc.doc.toJS();
      if (value !== null && value !== undefined) {
        if (typeof value !== 'object' || Array.isArray(value)) {
          problems.push(`${sources.file}: the top level must be a mapping of keys`);
        } else Object.assign(raw, value);
      }
    }
  }

  const hermesListen = getPath(raw, ['hermes', 'listen']);
  const envDefault = typeof hermesListen === 'string' ? hermesListen : configSchema.parse({}).hermes.listen;
  for (const s of settingsFromEnv(sources.env ?? {}, envDefault)) {
    setPath(raw, s.key.split('.'), s.value);
    origins.set(s.key, `environment variable ${s.variable}`);
  }

  for (const o of sources.overrides ?? []) {
    const eq = o.indexOf('=');
    if (eq <= 0) {
      problems.push(`--${o}: expected --dotted.key=value`);
      continue;
    }
    const key = o.slice(0, eq);
    const text = o.slice(eq + 1);
    const leaf = leafSchema(key.split('.'));
    if (!leaf) {
      problems.push(`${key}: unknown key (from --${key})`);
      continue;
    }
    setPath(raw, key.split('.'), coerceFlagValue(text, leaf));
    origins.set(key, `--${key}`);
  }

  if (problems.length > 0) throw new ConfigError(problems);
  const result = configSchema.safeParse(raw);
  if (result.success) return result.data;

  for (const issue of result.error.issues) {
    const base = issue.path.map(String);
    const keys = issue.code === 'unrecognized_keys' ? issue.keys.map((k) => [...base, k]) : [base];
    for (const path of keys) {
      const key = path.join('.') || '(top level)';
      const what = issue.code === 'unrecognized_keys' ? 'unknown key' : issue.message;
      problems.push(
        `${key}: ${what}${describeOrigin(path, origins, fileDoc, issue.code === 'unrecognized_keys')}`,
      );
    }
  }
  throw new ConfigError(problems);
}

function readConfigFile(path: string, problems: string[]) {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    problems.push(`${path}: cannot read the config file (${(err as Error).message})`);
    return undefined;
  }
  // YAML 1.2 is a superset of JSON, so one parser serves both and gives positions for both.
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  for (const e of doc.errors) {
    const pos = lines.linePos(e.pos[0]);
    problems.push(`${path}:${pos.line}:${pos.col}: ${e.message.split('\n')[0]}`);
  }
  return doc.errors.length > 0 ? undefined : { doc, lines, path };
}

function describeOrigin(
  path: string[],
  origins: Map<string, Origin>,
  file: { doc: Document; lines: LineCounter; path: string } | undefined,
  wantKeyNode: boolean,
): string {
  for (let n = path.length; n > 0; n--) {
    const o = origins.get(path.slice(0, n).join('.'));
    if (o) return ` (from ${o})`;
  }
  if (!file) return '';
  const offset = nodeOffset(file.doc, path, wantKeyNode);
  if (offset === undefined) return ` (in ${file.path})`;
  const pos = file.lines.linePos(offset);
  return ` (at ${file.path}:${pos.line}:${pos.col})`;
}

/** Offset of the value (or, for unknown keys, the key) at `path` in the YAML document. */
function nodeOffset(doc: Document, path: string[], wantKeyNode: boolean): number | undefined {
  for (let n = path.length; n > 0; n--) {
    const parent = n === 1 ? doc.contents : doc.getIn(path.slice(0, n - 1), true);
    if (!isMap(parent)) continue;
    const pair = parent.items.find(
      (p) => isPair(p) && isScalar(p.key) && String(p.key.value) === path[n - 1],
    );
    if (!pair) continue;
    const node = wantKeyNode || n < path.length ? pair.key : pair.value;
    const range = (node as { range?: [number, number, number] } | null)?.range;
    if (range) return range[0];
  }
  return undefined;
}

function getPath(obj: Raw, path: string[]): unknown {
  let cur: unknown = obj;
  for (const p of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Raw)[p];
  }
  return cur;
}

function setPath(obj: Raw, path: string[], value: unknown): void {
  let cur = obj;
  for (const p of path.slice(0, -1)) {
    const next = cur[p];
    if (next === null || typeof next !== 'object' || Array.isArray(next)) cur[p] = {};
    cur = cur[p] as Raw;
  }
  cur[path[path.length - 1]] = value;
}

/** The schema of a leaf key, unwrapping defaults; undefined when the key does not exist. */
function leafSchema(path: string[]): z.core.$ZodType | undefined {
  let s: z.core.$ZodType = configSchema;
  for (const p of path) {
    s = unwrap(s);
    if (s._zod.def.type !== 'object') return undefined;
    const shape = (s._zod.def as unknown as { shape: Record<string, z.core.$ZodType> }).shape;
    if (!Object.hasOwn(shape, p)) return undefined;
    s = shape[p];
  }
  s = unwrap(s);
  return s._zod.def.type === 'object' ? undefined : s;
}

function unwrap(s: z.core.$ZodType): z.core.$ZodType {
  for (;;) {
    const def = s._zod.def as unknown as { type: string; innerType?: z.core.$ZodType; in?: z.core.$ZodType };
    if (def.innerType) s = def.innerType;
    else if (def.type === 'pipe' && def.in) s = def.in;
    else return s;
  }
}

/** Flag values are text; give the schema the type it expects so `--a.port=9` is a number. */
function coerceFlagValue(text: string, leaf: z.core.$ZodType): unknown {
  switch (leaf._zod.def.type) {
    case 'number':
      return text.trim() !== '' && Number.isFinite(Number(text)) ? Number(text) : text;
    case 'boolean':
      return text === 'true' ? true : text === 'false' ? false : text;
    default:
      // Lists and maps (e.g. --storage.rollups=[] or =[{resolution: 5m, retention: 90d}]) in YAML flow style.
      if (/^\s*[[{]/.test(text)) {
        try {
          return parseYaml(text);
        } catch {
          return text;
        }
      }
      return text;
  }
}
