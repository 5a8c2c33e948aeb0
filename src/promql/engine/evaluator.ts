// The evaluator: every node is evaluated once for all steps of its grid (an instant query is a grid
// of one step). Step-invariant parts (pinned by `@`) are evaluated on the first step only and
// repeated. Between nodes it checks the query's deadline and cancellation, and it bounds nesting.

import type { Expr } from '../ast.ts';
import { PromqlEvalError } from '../errors.ts';
import { evalCall } from '../functions/dispatch/index.ts';
import { evalAggregate } from './aggregate.ts';
import { evalBinary, evalUnary } from './binary.ts';
import type { EvalContext, QueryEnv } from './context.ts';
import { type StepGrid, singleStep } from './grid.ts';
import { evalRangeValue } from './range-source.ts';
import type { StepInvariance } from './step-invariance.ts';
import type { InstantSeries, Value } from './values.ts';
import { evalVectorSelector } from './vector-selector.ts';

/** Deepest nesting evaluated; deeper queries fail cleanly instead of exhausting the stack. */
export const MAX_NESTING = 4000;

export interface EvaluatorEnv extends QueryEnv {
  readonly invariance: StepInvariance;
}

export class Evaluator implements EvalContext {
  readonly grid: StepGrid;
  readonly env: EvaluatorEnv;
  readonly #depth: number;
  #child: Evaluator | undefined;

  constructor(grid: StepGrid, env: EvaluatorEnv, depth = 0) {
    this.grid = grid;
    this.env = env;
    this.#depth = depth;
  }

  onGrid(grid: StepGrid): EvalContext {
    return new Evaluator(grid, this.env, this.#depth);
  }

  /** Evaluates `e` on this grid; the result's samples are what the query holds for it. */
  async evaluate(e: Expr): Promise<Value> {
    const { limits } = this.env;
    await limits.checkpoint();
    const before = limits.current;
    let value: Value;
    if (this.grid.count > 1 && this.env.invariance.evaluateOnce(e)) {
      const once = new Evaluator(singleStep(this.grid.start), this.env, this.#depth);
      value = repeat(await once.#node(e, once.#deeper()), this.grid.count);
    } else {
      value = await this.#node(e, this.#deeper());
    }
    // Whatever the children held is released; the node now holds its result.
    limits.release(limits.current - before);
    limits.hold(samplesIn(value));
    return value;
  }

  #deeper(): Evaluator {
    if (this.#depth >= MAX_NESTING)
      throw new PromqlEvalError(`query is nested too deeply to evaluate (more than ${MAX_NESTING} levels)`);
    this.#child ??= new Evaluator(this.grid, this.env, this.#depth + 1);
    return this.#child;
  }

  /** `ctx` evaluates the node's children (one level deeper). */
  async #node(e: Expr, ctx: Evaluator): Promise<Value> {
    switch (e.type) {
      case 'NumberLiteral':
        return { type: 'scalar', values: new Float64Array(this.grid.count).fill(e.value) };
      case 'StringLiteral':
        return { type: 'string', value: e.value };
      case 'VectorSelector':
        return evalVectorSelector(e, this);
      case 'MatrixSelector':
      case 'SubqueryExpr':
        // Only an instant query's whole expression can be a range vector; functions read theirs.
        return evalRangeValue(e, this);
      case 'ParenExpr':
      case 'StepInvariantExpr':
        return ctx.evaluate(e.expr);
      case 'UnaryExpr':
        return evalUnary(e, ctx);
      case 'BinaryExpr':
        return evalBinary(e, ctx);
      case 'AggregateExpr':
        return evalAggregate(e, ctx);
      case 'Call':
        return evalCall(e, ctx);
    }
  }
}

function samplesIn(v: Value): number {
  switch (v.type) {
    case 'scalar':
      return v.values.length;
    case 'string':
      return 0;
    case 'vector': {
      let n = 0;
      for (const s of v.series) for (let i = 0; i < s.present.length; i++) n += s.present[i];
      return n;
    }
    case 'matrix': {
      let n = 0;
      for (const s of v.series) n += s.ts.length;
      return n;
    }
  }
}

/** A one-step value repeated over `count` steps. */
function repeat(v: Value, count: number): Value {
  switch (v.type) {
    case 'scalar':
      return { type: 'scalar', values: new Float64Array(count).fill(v.values[0]) };
    case 'vector':
      return {
        type: 'vector',
        series: v.series.map(
          (s): InstantSeries => ({
            labels: s.labels,
            values: new Float64Array(count).fill(s.values[0]),
            present: new Uint8Array(count).fill(s.present[0]),
            dropName: s.dropName,
          }),
        ),
      };
    default:
      return v;
  }
}
