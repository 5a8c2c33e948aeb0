// The `match[]` selectors of the series, labels and label-values queries, turned into label
// matchers with Prometheus' rules: each must parse as a series selector, and each needs at least
// one matcher that does not match the empty string (else it would select every series).

import { parseSeriesSelector, SelectorParseError } from '../promql/series-selector.ts';
import type { Matcher } from '../tsdb/index/matcher.ts';
import { QueryError } from './query-engine.ts';

export function parseMatchSelectors(selectors: readonly string[]): Matcher[][] {
  const sets = selectors.map((s) => {
    try {
      return parseSeriesSelector(s);
    } catch (err) {
      if (err instanceof SelectorParseError) throw new QueryError('bad_data', err.message);
      throw err;
    }
  });
  return sets;
}
