// The Prometheus HTTP API's JSON envelope and error types (docs/querying/api.md): every answer is
// {"status":"success","data":…} or {"status":"error","errorType":…,"error":…} with the status code
// that goes with the error type.

import type { FastifyReply } from 'fastify';

export type ErrorType =
  | 'bad_data'
  | 'execution'
  | 'canceled'
  | 'timeout'
  | 'internal'
  | 'not_found'
  | 'unavailable';

const STATUS: Record<ErrorType, number> = {
  bad_data: 400,
  execution: 422,
  canceled: 499,
  timeout: 503,
  internal: 500,
  not_found: 404,
  unavailable: 503,
};

export class ApiError extends Error {
  readonly type: ErrorType;
  constructor(type: ErrorType, message: string) {
    super(message);
    this.type = type;
  }
}

export function success(reply: FastifyReply, data: unknown): FastifyReply {
  return reply.code(200).type('application/json').send({ status: 'success', data });
}

export function failure(reply: FastifyReply, err: ApiError): FastifyReply {
  return reply
    .code(STATUS[err.type])
    .type('application/json')
    .send({ status: 'error', errorType: err.type, error: err.message });
}
