// The PromQL parser: query text → typed, type-checked AST, with Prometheus 3.x's syntax, semantics and
// error messages. The stages, each in its own file:
//   lexer.ts       Prometheus' tokens and lexical errors
//   lezer-input.ts the text as the lezer grammar should see it (same offsets)
//   lezer          @prometheus-io/lezer-promql builds the syntax tree
//   syntax-error   a tree with error nodes → Prometheus' "unexpected …" message
//   lezer-walk.ts  tree → AST, with the errors Prometheus' grammar actions raise
//   check.ts       type checking (Prometheus' checkAST)

import type { Tree } from '@lezer/common';
import { parser } from '@prometheus-io/lezer-promql';
import type { Expr } from '../ast.ts';
import { checkAst } from './check.ts';
import { lex, type TokenList } from './lexer.ts';
import { lezerInput } from './lezer-input.ts';
import { ActionError, buildAst } from './lezer-walk.ts';
import { parseError } from './positions.ts';
import { lexicalError, syntaxError } from './syntax-error.ts';

export { positionOf, positionPrefix } from './positions.ts';
export { documentedType, typeOf } from './types.ts';

/**
 * Parses and type-checks a PromQL expression. Throws PromqlParseError (message as Prometheus prints
 * it, `1:5: parse error: …`), or its subclass PromqlUnsupportedError for experimental Prometheus
 * features telemux does not implement.
 */
export function parseExpr(text: string): Expr {
  try {
    return parse(text);
  } catch (err) {
    // The syntax tree and the walks over it recurse; a query nested past the stack is refused.
    if (err instanceof RangeError && /call stack/i.test(err.message))
      throw parseError(text, 'expression nested too deeply to parse', 0, text.length);
    throw err;
  }
}

function parse(text: string): Expr {
  const tokens = lex(text);
  if (tokens.count === 0 && tokens.error === undefined)
    throw parseError(text, 'no expression found in input', 0, 0);

  const tree = parser.parse(lezerInput(text, tokens));
  const errorAt = firstErrorPosition(tree);
  if (errorAt >= 0) throw syntaxError(text, tokens, errorAt);

  let built: ReturnType<typeof buildAst>;
  try {
    built = buildAst(tree, text, tokens);
  } catch (err) {
    if (!(err instanceof ActionError)) throw err;
    if (tokens.error !== undefined && !actionComesFirst(tokens, err.reportAt))
      throw lexicalError(text, tokens);
    throw parseError(text, err.message, err.start, err.end);
  }
  if (tokens.error !== undefined) throw lexicalError(text, tokens);
  checkAst(built.expr, text, built.modifiers);
  return built.expr;
}

function firstErrorPosition(tree: Tree): number {
  const c = tree.cursor();
  do {
    if (c.type.isError) return c.from;
  } while (c.next());
  return -1;
}

/**
 * Prometheus runs a grammar action when the token after its construct arrives; a lexical error is
 * reported when the parser asks for the token it is in. The action's error is first only when a
 * token it could read lies between the two.
 */
function actionComesFirst(tokens: TokenList, reportAt: number): boolean {
  const next = tokens.indexAfter(reportAt);
  return next < tokens.count && tokens.starts[next] >= reportAt && tokens.starts[next] < tokens.error!.start;
}
