// Comparing syntax trees "modulo positions": the same tree with every `pos` removed. Matchers are
// compared as a set (sorted), since the printer writes them sorted, as Prometheus does.

import type { Expr } from '../../../src/promql/ast.ts';
import { Matcher } from '../../../src/tsdb/index/matcher.ts';

/** A copy of the tree without positions, matchers as sorted `name=~"value"` strings. */
export function withoutPositions(e: Expr): unknown {
  return strip(e);
}

function strip(v: unknown): unknown {
  if (v instanceof Matcher) return `${v.name}${v.type}${JSON.stringify(v.value)}`;
  if (Array.isArray(v)) {
    const items = v.map(strip);
    return v.length > 0 && v[0] instanceof Matcher ? items.sort() : items;
  }
  if (v !== null && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) if (k !== 'pos') out[k] = strip(x);
    return out;
  }
  return v;
}

/** Every node's position lies within the text and within its parent's. */
export function positionsNest(e: Expr, textLength: number): boolean {
  const ok = (node: unknown, lo: number, hi: number): boolean => {
    if (node === null || typeof node !== 'object' || node instanceof Matcher) return true;
    if (Array.isArray(node)) return node.every((n) => ok(n, lo, hi));
    const rec = node as Record<string, unknown>;
    const pos = rec.pos as { start: number; end: number } | undefined;
    let [l, h] = [lo, hi];
    if (pos !== undefined) {
      if (!(pos.start >= lo && pos.start <= pos.end && pos.end <= hi)) return false;
      [l, h] = [pos.start, pos.end];
    }
    return Object.entries(rec).every(([k, x]) => k === 'pos' || ok(x, l, h));
  };
  return ok(e, 0, textLength);
}
