// What every node evaluator sees: the grid it evaluates on, the query-wide environment, and a way
// back into the evaluator for its children (so function implementations need not import it).

import type { AtModifier, Expr } from '../ast.ts';
import type { Queryable } from '../storage.ts';
import type { Annotations } from './annotations.ts';
import type { StepGrid } from './grid.ts';
import type { QueryLimits } from './limits.ts';
import type { Value } from './values.ts';

/** One query's settings and shared state, the same on every (sub)grid. */
export interface QueryEnv {
  readonly store: Queryable;
  readonly lookbackMs: number;
  /** Step of a subquery written without one (`x[5m:]`): the evaluation interval, as in Prometheus. */
  readonly defaultSubqueryStepMs: number;
  readonly delayedNameRemoval: boolean;
  /** The query's own start, end and step (0 for an instant query): `@ start()`, `step()`, … */
  readonly queryStart: number;
  readonly queryEnd: number;
  readonly queryStep: number;
  readonly limits: QueryLimits;
  readonly annotations: Annotations;
}

export interface EvalContext {
  readonly grid: StepGrid;
  readonly env: QueryEnv;
  /** Evaluates a child expression on this grid. */
  evaluate(expr: Expr): Promise<Value>;
  /** The same query on another grid (a subquery's steps). */
  onGrid(grid: StepGrid): EvalContext;
}

/** The time an `@` modifier pins to, in ms, or undefined when there is none. */
export function resolveAt(at: AtModifier | undefined, env: QueryEnv): number | undefined {
  if (at === undefined) return undefined;
  switch (at.kind) {
    case 'timestamp':
      return at.ms;
    case 'start':
      return env.queryStart;
    case 'end':
      return env.queryEnd;
  }
}
