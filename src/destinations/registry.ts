// Destination type name → provider. Adding a destination type means one folder and one line here.
import type { HttpClient } from './http-client';
import type { DestinationType } from './schema';
import type { DestinationProvider } from './types';
import type { SentMessageStore } from '../store/sent-messages';
import { discordProvider } from './discord';
import { emailProvider } from './email';
import { incidentIoProvider } from './incident-io';
import { pagerdutyProvider } from './pagerduty';
import { slackProvider } from './slack';
import { teamsProvider } from './teams';
import { webhookProvider } from './webhook';

export type Registry = Record<DestinationType, DestinationProvider<any>>;

export function createRegistry(http: HttpClient, sent: SentMessageStore): Registry {
  return {
    webhook: webhookProvider(http),
    incident_io: incidentIoProvider(http),
    pagerduty: pagerdutyProvider(http),
    slack: slackProvider(http, sent),
    discord: discordProvider(http, sent),
    email: emailProvider(http, sent),
    teams: teamsProvider(http, sent),
  };
}
