// Destination type name → provider. Adding a destination type means one folder and one line here.
import type { HttpClient } from './http-client';
import type { DestinationType } from './schema';
import type { DestinationProvider } from './types';
import { webhookProvider } from './webhook';

export type Registry = Record<DestinationType, DestinationProvider<any>>;

export function createRegistry(http: HttpClient): Registry {
  return { webhook: webhookProvider(http) };
}
