// One error type mapped to HTTP once: every failure answers `{error: {code, message, details}}`.
import type { ErrorRequestHandler } from 'express';
import { z } from 'zod';
import type { Logger } from 'pino';
import { AlertClosedError, AlertNotFoundError, NotAcknowledgeableError, NotRedeliverableError } from '../domain/alert-errors';
import { TemporalUnavailableError } from '../temporal/alert-workflows';
import { WorkerUnavailableError } from './legacy-alerts';
import { EventNotYetAnnouncedError } from './alert-actions';
import { isStoreUnavailable } from '../store/db';

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export type FieldProblem = { path: string; message: string };

export function validationError(problems: FieldProblem[]): HttpError {
  const fields = [...new Set(problems.map((p) => p.path))].join(', ');
  return new HttpError(400, 'invalid_request', `invalid fields: ${fields}`, problems);
}

export function fieldProblems(error: z.ZodError, prefix: (string | number)[] = []): FieldProblem[] {
  return error.issues.flatMap((issue) => {
    const path = [...prefix, ...issue.path];
    // A bad record key (e.g. a reserved header name) carries the key's own issues: report their reasons.
    if (issue.code === 'invalid_key' && issue.issues.length > 0) {
      return issue.issues.map((inner) => ({ path: path.map(String).join('.'), message: inner.message }));
    }
    return [{ path: path.map(String).join('.') || '(body)', message: issue.message }];
  });
}

/** Parses with the schema or throws a 400 naming every bad field. */
export function parseBody<T>(schema: z.ZodType<T>, body: unknown): T {
  if (body === undefined || body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new HttpError(400, 'invalid_request', 'the body must be a JSON object sent with Content-Type: application/json');
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw validationError(fieldProblems(parsed.error));
  return parsed.data;
}

/**
 * A number in the query string: its text read as a number, then checked by `schema`. Not
 * z.coerce.number(), which also turns an empty value or null into 0 (so /openapi.json would call the
 * parameter nullable).
 */
export const queryNumber = (schema: z.ZodNumber) => z.preprocess((value) => (typeof value === 'string' && value.trim() !== '' ? Number(value) : value), schema);

/** Parses query-string parameters or throws a 400 naming every bad one. */
export function parseQuery<T>(schema: z.ZodType<T>, query: unknown): T {
  const parsed = schema.safeParse(query);
  if (!parsed.success) throw validationError(fieldProblems(parsed.error));
  return parsed.data;
}

export function temporalUnavailable(reason: string): HttpError {
  return new HttpError(503, 'temporal_unavailable', `Temporal is unreachable: ${reason}; nothing was changed, retry later`, undefined, {
    'Retry-After': '5',
  });
}

/** The one place where the alert's and Temporal's errors become HTTP answers. */
function asHttpError(err: unknown): HttpError | undefined {
  if (err instanceof HttpError) return err;
  if (err instanceof AlertNotFoundError) return new HttpError(404, 'alert_not_found', err.message);
  if (err instanceof AlertClosedError) return new HttpError(409, 'alert_closed', `${err.message}; nothing was changed`, { status: err.status });
  if (err instanceof NotAcknowledgeableError) return new HttpError(409, 'not_acknowledgeable', err.message);
  if (err instanceof NotRedeliverableError) return new HttpError(err.reason === 'not_routed' ? 404 : 409, err.reason === 'not_routed' ? 'delivery_not_found' : 'not_failed', err.message);
  if (err instanceof TemporalUnavailableError) return temporalUnavailable(err.message);
  if (err instanceof EventNotYetAnnouncedError) return new HttpError(503, 'temporal_unavailable', err.message, { sequence: err.sequence }, { 'Retry-After': '5' });
  if (isStoreUnavailable(err)) {
    return new HttpError(503, 'store_unavailable', 'the database is unreachable; nothing was changed, retry later', undefined, { 'Retry-After': '5' });
  }
  if (err instanceof WorkerUnavailableError) return new HttpError(503, 'worker_unavailable', err.message, undefined, { 'Retry-After': '5' });
  return undefined;
}

export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (caught, _req, res, _next) => {
    const err = asHttpError(caught) ?? caught;
    if (err instanceof HttpError) {
      res.set(err.headers).status(err.status).json({ error: { code: err.code, message: err.message, details: err.details } });
      return;
    }
    // body-parser's errors carry a `type` and a status.
    if (err?.type === 'entity.too.large') {
      res.status(413).json({ error: { code: 'payload_too_large', message: `the body is larger than ${err.limit} bytes` } });
      return;
    }
    if (err?.type === 'entity.parse.failed') {
      res.status(400).json({ error: { code: 'invalid_json', message: `the body is not valid JSON: ${err.message}` } });
      return;
    }
    if (typeof err?.status === 'number' && err.status >= 400 && err.status < 500) {
      res.status(err.status).json({ error: { code: 'bad_request', message: err.message } });
      return;
    }
    logger.error({ err }, 'unhandled error');
    res.status(500).json({ error: { code: 'internal', message: 'internal error' } });
  };
}
