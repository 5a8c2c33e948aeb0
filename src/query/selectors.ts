// The `match[]` selectors of the series, labels and label-values queries, turned into label
// matchers with Prometheus' rules: each must be a plain series selector (parsed by the PromQL parser,
// so the syntax and messages are PromQL's), and each needs at least one matcher that does not match
// the empty string (else it would select every series).

import { PromqlParseError } from '../promql/errors.ts';
import { parseExpr } from '../promql/parser/index.ts';
import type { Matcher } from '../tsdb/index/matcher.ts';
import { QueryError } from './query-engine.ts';

export function parseMatchSelectors(selectors: readonly string[]): Matcher[][] {
  return selectors.map(parseMatchSelector);
}

function parseMatchSelector(text: string): Matcher[] {
  let expr: ReturnType<typeof parseExpr>;
  try {
    expr = parseExpr(text);
  } catch (err) {
    if (err instanceof PromqlParseError) throw new QueryError('bad_data', err.message);
    throw err;
  }
  if (expr.type !== 'VectorSelector' || expr.offsetMs !== 0 || expr.at !== undefined)
    throw new QueryError('bad_data', `${JSON.stringify(text)} is not a series selector (e.g. up{job="api"})`);
  if (expr.matchers.every((m) => m.matchesEmpty))
    throw new QueryError('bad_data', 'match[] must contain at least one non-empty matcher');
  return [...expr.matchers];
}
