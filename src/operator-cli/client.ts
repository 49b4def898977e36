// The operator CLI's way to Herald: its HTTP API at HERALD_URL with HERALD_API_KEY, every answer
// read through the API's own response schemas (src/api/response-schemas.ts).
import type { z } from 'zod';
import { errorSchema } from '../api/response-schemas';

/** Why a command failed, with the exit code a script can act on. */
export class CommandError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}

export const EXIT = {
  ok: 0,
  /** Herald refused the request (4xx), or what it did failed (a test delivery). */
  refused: 1,
  /** The command line is wrong. */
  usage: 2,
  /** Herald could not be reached or answered 5xx: trying again later may work. */
  unavailable: 3,
} as const;

export type Client = <S extends z.ZodType>(method: string, path: string, answer: S, body?: unknown) => Promise<z.infer<S>>;

export function clientFrom(env: NodeJS.ProcessEnv): Client {
  const base = (env.HERALD_URL ?? 'http://localhost:8080').replace(/\/+$/, '');
  const key = env.HERALD_API_KEY;
  if (!key) throw new CommandError('HERALD_API_KEY is not set: the key to call the API with (npm start prints one)', EXIT.usage);
  return async (method, path, answer, body) => {
    let res: Response;
    try {
      res = await fetch(`${base}${path}`, {
        method,
        headers: { authorization: `Bearer ${key}`, ...(body !== undefined && { 'content-type': 'application/json' }) },
        ...(body !== undefined && { body: JSON.stringify(body) }),
      });
    } catch (err) {
      throw new CommandError(`cannot reach Herald at ${base}: ${(err as Error).cause ?? (err as Error).message}`, EXIT.unavailable);
    }
    const text = await res.text();
    const json = text ? safeJson(text) : undefined;
    if (!res.ok) {
      const error = errorSchema.safeParse(json);
      const what = error.success ? `${error.data.error.code}: ${error.data.error.message}` : text.slice(0, 500);
      throw new CommandError(`Herald answered ${res.status} (${what})`, res.status >= 500 ? EXIT.unavailable : EXIT.refused);
    }
    const parsed = answer.safeParse(json);
    if (!parsed.success) throw new CommandError(`Herald's answer to ${method} ${path} is not what its API describes: ${parsed.error.message}`, EXIT.unavailable);
    return parsed.data;
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
