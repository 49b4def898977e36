// Client-side Temporal wiring shared by the API and the CLI.
import { Client, Connection } from '@temporalio/client';
import type { PayloadCodec } from '@temporalio/common';
import type { Config } from '../config';
import { tracingClientInterceptors } from '../telemetry/temporal';
import { AesGcmPayloadCodec } from './codec';

/**
 * A lazy connection: the API starts and answers 503 while Temporal is unreachable, instead of
 * refusing to start, and reconnects by itself when Temporal comes back.
 */
export function createClient(address: string, namespace: string, codec?: PayloadCodec): { client: Client; connection: Connection } {
  const connection = Connection.lazy({ address });
  const interceptors = tracingClientInterceptors();
  return { client: new Client({ connection, namespace, ...(codec && { dataConverter: { payloadCodecs: [codec] } }), ...(interceptors && { interceptors }) }), connection };
}

/** The payload codec when HERALD_CODEC_KEY is set. */
export function payloadCodec(config: Pick<Config, 'codecKeys'>): AesGcmPayloadCodec | undefined {
  return config.codecKeys.length > 0 ? new AesGcmPayloadCodec(config.codecKeys) : undefined;
}
