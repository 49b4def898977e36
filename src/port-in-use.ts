// A port Herald must listen on is taken. Herald then stops with one line naming the variable that
// moves it, instead of a stack trace that leaves the operator to work out which port and why.
import net from 'node:net';

export class PortInUseError extends Error {
  constructor(
    readonly variable: string,
    readonly port: number,
  ) {
    super(`port ${port} (${variable}) is already in use: set ${variable} to a free port, or stop what listens on ${port}`);
  }
}

/**
 * The PortInUseError for a listen that failed with EADDRINUSE on one of `ports` (variable → port),
 * or undefined for any other error. Node's listen errors carry the port they tried.
 */
export function portInUse(err: unknown, ports: Record<string, number | undefined>): PortInUseError | undefined {
  if (err instanceof PortInUseError) return err;
  const { code, port } = (err ?? {}) as { code?: unknown; port?: unknown };
  if (code !== 'EADDRINUSE' || typeof port !== 'number') return undefined;
  const variable = Object.keys(ports).find((name) => ports[name] === port);
  return variable === undefined ? undefined : new PortInUseError(variable, port);
}

/**
 * Throws PortInUseError when `port` cannot be listened on now, on every address as Herald's servers
 * listen. Checked before anything starts, so a clash stops Herald before it spawned or connected
 * anything; the real listen still maps its own EADDRINUSE, for a port taken in between.
 */
export async function ensurePortFree(variable: string, port: number): Promise<void> {
  const server = net.createServer();
  try {
    await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, resolve));
  } catch (err) {
    throw portInUse(err, { [variable]: port }) ?? err;
  }
  await new Promise<void>((resolve) => server.close(() => resolve()));
}
