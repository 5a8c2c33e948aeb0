// Prometheus' duration syntax: units from largest to smallest, each at most once, e.g. `1h30m`,
// `15d`, `500ms`, `2y` (y = 365 d, w = 7 d). Used for config values and, later, PromQL.

const UNITS: readonly [string, number][] = [
  ['y', 365 * 24 * 3600 * 1000],
  ['w', 7 * 24 * 3600 * 1000],
  ['d', 24 * 3600 * 1000],
  ['h', 3600 * 1000],
  ['m', 60 * 1000],
  ['s', 1000],
  ['ms', 1],
];

const PATTERN = /^(?:(\d+)y)?(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?(?:(\d+)ms)?$/;

/** Milliseconds, or a message saying what is wrong. `0` alone means zero. */
export function parseDuration(s: string): number | string {
  if (s === '0') return 0;
  const m = PATTERN.exec(s);
  if (s === '' || m === null) return `not a valid duration: "${s}" (e.g. 15s, 5m, 1h30m, 15d)`;
  let ms = 0;
  for (let i = 0; i < UNITS.length; i++) if (m[i + 1] !== undefined) ms += Number(m[i + 1]) * UNITS[i][1];
  if (!Number.isSafeInteger(ms)) return `duration out of range: "${s}"`;
  return ms;
}

/** The shortest spelling of `ms` in the same syntax (`0s` for zero). */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0s';
  let rest = ms;
  let out = '';
  for (const [unit, size] of UNITS) {
    const n = Math.floor(rest / size);
    if (n > 0) {
      out += `${n}${unit}`;
      rest -= n * size;
    }
  }
  return out;
}

const SIZE_UNITS: Record<string, number> = {
  B: 1,
  KB: 1024,
  MB: 1024 ** 2,
  GB: 1024 ** 3,
  TB: 1024 ** 4,
  PB: 1024 ** 5,
};

/** Byte sizes as Prometheus' `retention.size` spells them (`512MB`, `10GB`; units of 1024), or a number. */
export function parseByteSize(s: string): number | string {
  const m = /^(\d+(?:\.\d+)?)\s*(B|KB|MB|GB|TB|PB)?$/i.exec(s.trim());
  if (m === null) return `not a valid size: "${s}" (e.g. 512MB, 10GB)`;
  return Math.floor(Number(m[1]) * SIZE_UNITS[(m[2] ?? 'B').toUpperCase()]);
}
