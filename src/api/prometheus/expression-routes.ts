// Endpoints about a query's text rather than its data: `/api/v1/format_query` (canonical form),
// `/api/v1/parse_query` (syntax tree as JSON) and `/api/v1/query_exemplars` (checked, then always
// empty: telemux stores no exemplars yet).

import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Expr } from '../../promql/ast.ts';
import { PromqlParseError } from '../../promql/errors.ts';
import { astJson, type SignatureOf, selectorsOf } from './ast-json.ts';
import { ApiError, success } from './envelope.ts';
import { MAX_TIME_MS, MIN_TIME_MS, param, timeParam } from './params.ts';
import { apiHandler } from './respond.ts';

/** What these endpoints need of the PromQL parser. */
export interface ExpressionSyntax {
  /** The typed tree of a query; throws PromqlParseError when it does not parse or type-check. */
  parse(query: string): Expr;
  /** The tree back as canonical text. */
  format(expr: Expr): string;
  /** Prometheus' parser.Function fields of a function, for parse_query. */
  signature?: SignatureOf;
}

export interface ExpressionRoutesOptions {
  readonly syntax: ExpressionSyntax;
}

export async function expressionRoutes(app: FastifyInstance, opts: ExpressionRoutesOptions): Promise<void> {
  const { syntax } = opts;
  const signature: SignatureOf = syntax.signature ?? (() => undefined);

  const parseParam = (req: FastifyRequest, prefix: boolean): Expr => {
    try {
      return syntax.parse(param(req, 'query') ?? '');
    } catch (err) {
      if (err instanceof PromqlParseError)
        throw new ApiError('bad_data', prefix ? `invalid parameter "query": ${err.message}` : err.message);
      throw err;
    }
  };

  const format = apiHandler((req, reply) => success(reply, syntax.format(parseParam(req, true))));
  app.get('/api/v1/format_query', format);
  app.post('/api/v1/format_query', format);

  const parse = apiHandler((req, reply) => success(reply, astJson(parseParam(req, true), signature)));
  app.get('/api/v1/parse_query', parse);
  app.post('/api/v1/parse_query', parse);

  const exemplars = apiHandler((req, reply) => {
    const start = timeParam(req, 'start', MIN_TIME_MS);
    const end = timeParam(req, 'end', MAX_TIME_MS);
    if (end < start) throw new ApiError('bad_data', 'end timestamp must not be before start timestamp');
    const expr = parseParam(req, false);
    // Prometheus answers a query without selectors with no content at all.
    if (selectorsOf(expr).length === 0) return reply.code(204).send();
    return success(reply, []);
  });
  app.get('/api/v1/query_exemplars', exemplars);
  app.post('/api/v1/query_exemplars', exemplars);
}
