// Durations written as expressions get their values once the query is known (Prometheus'
// durationVisitor, run when a query is created): step() is the query's step and range() its
// end - start, both 0 for an instant query. The evaluator then reads rangeMs, stepMs and offsetMs as
// for any other node. Errors (a range that comes out ≤ 0, a division by zero, …) are bad_data, worded
// as Prometheus words them: `<start>:<end>: duration must be greater than 0`, in bytes of the query.

import type { DurationExpr, Expr, MatrixSelector, SubqueryExpr, VectorSelector } from '../ast.ts';
import { PromqlEvalError, PromqlParseError } from '../errors.ts';
import { DurationEvalError, durationMs, type QueryShape } from '../parser/duration-eval.ts';
import { byteOffset } from '../parser/positions.ts';
import { MAX_NESTING } from './evaluator.ts';

/**
 * The tree with every duration expression's value in ms, sharing every subtree that has none. `text`
 * is the query the tree was parsed from, for the positions in error messages.
 */
export function resolveDurations(expr: Expr, query: QueryShape, text?: string): Expr {
  if (!hasDurationExpr(expr)) return expr;
  const value = (e: DurationExpr, allowNegative: boolean): number => {
    try {
      return durationMs(e, query, allowNegative);
    } catch (err) {
      if (!(err instanceof DurationEvalError)) throw err;
      const at = (o: number) => (text === undefined ? o : byteOffset(text, o));
      throw new PromqlParseError(
        `${at(err.pos.start)}:${at(err.pos.end)}: ${err.message}`,
        err.pos.start,
        err.pos.end,
      );
    }
  };
  const selector = (v: VectorSelector): VectorSelector =>
    v.offsetExpr === undefined ? v : { ...v, offsetMs: value(v.offsetExpr, true) };

  const resolve = (e: Expr, depth: number): Expr => {
    if (depth > MAX_NESTING)
      throw new PromqlEvalError(`query is nested too deeply to evaluate (more than ${MAX_NESTING} levels)`);
    const inner = (x: Expr) => resolve(x, depth + 1);
    switch (e.type) {
      case 'VectorSelector':
        return selector(e);
      case 'MatrixSelector': {
        // Prometheus visits a node's own durations before its children's.
        const rangeMs = e.rangeExpr === undefined ? e.rangeMs : value(e.rangeExpr, false);
        const vector = selector(e.vector);
        return rangeMs === e.rangeMs && vector === e.vector
          ? e
          : ({ ...e, rangeMs, vector } satisfies MatrixSelector);
      }
      case 'SubqueryExpr': {
        const offsetMs = e.offsetExpr === undefined ? e.offsetMs : value(e.offsetExpr, true);
        const stepMs = e.stepExpr === undefined ? e.stepMs : value(e.stepExpr, false);
        const rangeMs = e.rangeExpr === undefined ? e.rangeMs : value(e.rangeExpr, false);
        const sub = inner(e.expr);
        if (sub === e.expr && offsetMs === e.offsetMs && stepMs === e.stepMs && rangeMs === e.rangeMs)
          return e;
        return { ...e, expr: sub, offsetMs, stepMs, rangeMs } satisfies SubqueryExpr;
      }
      case 'AggregateExpr': {
        const param = e.param === undefined ? undefined : inner(e.param);
        const sub = inner(e.expr);
        return param === e.param && sub === e.expr ? e : { ...e, param, expr: sub };
      }
      case 'BinaryExpr': {
        const [lhs, rhs] = [inner(e.lhs), inner(e.rhs)];
        return lhs === e.lhs && rhs === e.rhs ? e : { ...e, lhs, rhs };
      }
      case 'Call': {
        const args = e.args.map(inner);
        return args.every((a, i) => a === e.args[i]) ? e : { ...e, args };
      }
      case 'UnaryExpr':
      case 'ParenExpr':
      case 'StepInvariantExpr': {
        const sub = inner(e.expr);
        return sub === e.expr ? e : { ...e, expr: sub };
      }
      case 'NumberLiteral':
      case 'StringLiteral':
        return e;
    }
  };
  return resolve(expr, 0);
}

/** Whether any node has a duration written as an expression; without recursion (trees nest deeply). */
function hasDurationExpr(root: Expr): boolean {
  const stack: Expr[] = [root];
  while (stack.length > 0) {
    const e = stack.pop()!;
    switch (e.type) {
      case 'VectorSelector':
        if (e.offsetExpr !== undefined) return true;
        break;
      case 'MatrixSelector':
        if (e.rangeExpr !== undefined || e.vector.offsetExpr !== undefined) return true;
        break;
      case 'SubqueryExpr':
        if (e.rangeExpr !== undefined || e.stepExpr !== undefined || e.offsetExpr !== undefined) return true;
        stack.push(e.expr);
        break;
      case 'AggregateExpr':
        stack.push(e.expr);
        if (e.param !== undefined) stack.push(e.param);
        break;
      case 'BinaryExpr':
        stack.push(e.lhs, e.rhs);
        break;
      case 'Call':
        stack.push(...e.args);
        break;
      case 'UnaryExpr':
      case 'ParenExpr':
      case 'StepInvariantExpr':
        stack.push(e.expr);
        break;
    }
  }
  return false;
}
