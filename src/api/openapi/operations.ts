// One operation of /openapi.json as a short table row, turned into the route the library registers:
// path parameters read off the path, the query's parameters and the bodies from zod schemas, and the
// error answers every /v1 route shares (README "API").
import type { OpenAPIRegistry, ResponseConfig, RouteConfig } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';

export type Links = NonNullable<ResponseConfig['links']>;

export type Operation = {
  summary: string;
  body?: z.ZodType;
  /** The body may be left out (a closure's fields are all optional). */
  bodyOptional?: boolean;
  /** The success answer; no schema only for 204. */
  ok: [number, z.ZodType] | [204];
  /** Another success answer, e.g. 200 for a deduplicated trigger (no schema only for 204). */
  alsoOk?: [number, z.ZodType, string] | [204, null, string];
  /** This operation's own error answers (beyond 401, 403 and 429, which every keyed route may give). */
  errors: number[];
  /** Meanings of this operation's own error answers, where the shared one says too little. */
  meanings?: Record<number, string>;
  query?: z.ZodObject;
  /** OpenAPI links from the success answer to the operations it gives the ids for. */
  links?: Links;
  /** Reached without an API key (signed webhooks, ping tokens): no security, no 401/403/429 of the key. */
  open?: true;
  /**
   * Tenant-scoped (src/domain/request-tenant.ts): also served under /v1/tenants/{tenant}, where it
   * may answer 404 for a tenant that does not exist or is not the key's. Links stay on the path without it.
   */
  tenantScoped?: true;
};

/** Where a tenant-scoped /v1 path is served for another tenant than the default one. */
export const inTenant = (path: string) => path.replace(/^\/v1\//, '/v1/tenants/{tenant}/');

const TENANT_NOT_FOUND = 'no such tenant, or not the API key\'s tenant (tenant_not_found), or no such resource in it';

const ERROR_MEANING: Record<number, string> = {
  400: 'invalid request: the fields are named in details',
  401: 'missing or wrong API key',
  403: 'the API key lacks the scope this route needs (details.required_scope)',
  429: 'this API key is over its rate limit: retry after Retry-After',
  404: 'no such resource',
  409: 'conflict (closed alert, taken name, nothing to redeliver)',
  413: 'body over 1 MiB',
  422: 'unknown destination ids',
  503: 'Temporal (or a worker) unreachable: nothing was changed; retry after Retry-After',
};

const json = (schema: z.ZodType) => ({ 'application/json': { schema } });

/** The path's {parameters}, each a string. */
function pathParameters(path: string): z.ZodObject | undefined {
  const names = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
  return names.length > 0 ? z.object(Object.fromEntries(names.map((name) => [name, z.string()]))) : undefined;
}

/** Registers `method path` as `op` says; `error` is the schema of every error answer. */
export function operations(registry: OpenAPIRegistry, error: z.ZodType) {
  const errorAnswers = (statuses: number[], meanings: Record<number, string> = {}) =>
    Object.fromEntries(statuses.map((s) => [String(s), { description: meanings[s] ?? ERROR_MEANING[s] ?? 'error', content: json(error) }]));

  const define = (method: RouteConfig['method'], path: string, op: Operation): void => {
    const [okStatus, okSchema] = op.ok;
    const params = pathParameters(path);
    registry.registerPath({
      method,
      path,
      summary: op.summary,
      ...(op.open && { security: [] }),
      request: {
        ...(params && { params }),
        ...(op.query && { query: op.query }),
        ...(op.body && { body: { required: !op.bodyOptional, content: json(op.body) } }),
      },
      responses: {
        [String(okStatus)]: { description: 'success', ...(okSchema && { content: json(okSchema) }), ...(op.links && { links: op.links }) },
        ...(op.alsoOk && { [String(op.alsoOk[0])]: { description: op.alsoOk[2], ...(op.alsoOk[1] && { content: json(op.alsoOk[1]) }), ...(op.links && { links: op.links }) } }),
        ...errorAnswers([...(op.open ? [] : [401, 403, 429]), ...op.errors, ...Object.keys(op.meanings ?? {}).map(Number)], op.meanings),
      },
    });
    if (op.tenantScoped) {
      const { tenantScoped: _once, links: _unprefixed, ...inOne } = op;
      define(method, inTenant(path), { ...inOne, errors: [...new Set([...op.errors, 404])], meanings: { ...op.meanings, 404: TENANT_NOT_FOUND } });
    }
  };
  return define;
}

export type Define = ReturnType<typeof operations>;
