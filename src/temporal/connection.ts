// Client-side Temporal wiring shared by the API and the CLI.
import { Client, Connection } from '@temporalio/client';

/**
 * A lazy connection: the API starts and answers 503 while Temporal is unreachable, instead of
 * refusing to start, and reconnects by itself when Temporal comes back.
 */
export function createClient(address: string, namespace: string): { client: Client; connection: Connection } {
  const connection = Connection.lazy({ address });
  return { client: new Client({ connection, namespace }), connection };
}
