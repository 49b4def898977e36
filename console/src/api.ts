// The console's only door to Herald: the public /v1 API with the session's Bearer key.
import { session } from './session';

export type FieldProblem = { path: string; message: string };

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }

  /** The 400 answer's field problems (`details: [{path, message}]`), or a 409 name clash as one. */
  get fields(): FieldProblem[] {
    if (Array.isArray(this.details)) return this.details as FieldProblem[];
    const field = (this.details as { field?: unknown } | undefined)?.field;
    return typeof field === 'string' ? [{ path: field, message: this.message }] : [];
  }
}

/** Called on a 401 so the app can ask for a key again. */
let onUnauthorized = () => {};
export const setUnauthorizedHandler = (handler: () => void) => (onUnauthorized = handler);

export async function api<T = unknown>(method: string, path: string, body?: unknown, apiKey = session.get()): Promise<T> {
  const res = await fetch(`/v1${path}`, {
    method,
    headers: {
      authorization: `Bearer ${apiKey ?? ''}`,
      ...(body !== undefined && { 'content-type': 'application/json' }),
    },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  const json = parseJson(text);
  if (res.ok) return json as T;
  const error = json?.error ?? {};
  if (res.status === 401) onUnauthorized();
  throw new ApiError(res.status, error.message ?? `HTTP ${res.status}`, error.details);
}

/** The body as JSON; undefined when empty or not JSON (a proxy's error page), so the status speaks. */
function parseJson(text: string): any {
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return undefined;
  }
}

export const query = (params: Record<string, string | undefined>) => {
  const search = new URLSearchParams(Object.entries(params).filter((e): e is [string, string] => !!e[1]));
  return search.size > 0 ? `?${search}` : '';
};
