// Client-side Temporal wiring shared by the API and the CLI.
import { Client, Connection, type ClientOptions } from '@temporalio/client';
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
  return { client: new Client({ connection, ...clientOptions(namespace, codec) }), connection };
}

/** What every Herald client is given besides its connection: the namespace, the codec, and the tracing interceptors while tracing. */
export function clientOptions(namespace: string, codec?: PayloadCodec): Omit<ClientOptions, 'connection'> {
  const interceptors = tracingClientInterceptors();
  return { namespace, ...(codec && { dataConverter: { payloadCodecs: [codec] } }), ...(interceptors && { interceptors }) };
}

/** The payload codec when HERALD_CODEC_KEY is set. */
export function payloadCodec(config: Pick<Config, 'codecKeys'>): AesGcmPayloadCodec | undefined {
  return config.codecKeys.length > 0 ? new AesGcmPayloadCodec(config.codecKeys) : undefined;
}
