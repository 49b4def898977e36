// OpenAPI links from an answer that made something to the operations on it, for clients and for the
// fuzz suite's stateful runs (test/fuzz), which follow them.
import type { Links } from './operations';

type Link = { operationRef: string; parameters: Record<string, string> };

/** A link to `method path`, its path parameters taken from runtime expressions such as `$response.body#/id`. */
const linkTo = (method: string, path: string, parameters: Record<string, string>): Link => ({
  // A JSON pointer into this document, as a URI reference (so the braces are percent-encoded).
  operationRef: `#/paths/${path.replaceAll('~', '~0').replaceAll('/', '~1').replaceAll('{', '%7B').replaceAll('}', '%7D')}/${method}`,
  parameters,
});

const byId = { id: '$response.body#/id' };
const byName = { name: '$response.body#/name' };

export const destinationLinks: Links = {
  GetDestination: linkTo('get', '/v1/destinations/{id}', byId),
  PatchDestination: linkTo('patch', '/v1/destinations/{id}', byId),
  DeleteDestination: linkTo('delete', '/v1/destinations/{id}', byId),
  GetSigningSecret: linkTo('get', '/v1/destinations/{id}/secret', byId),
  RotateSigningSecret: linkTo('post', '/v1/destinations/{id}/secret/rotate', byId),
  TestDestination: linkTo('post', '/v1/destinations/{id}/test', byId),
  DestinationHealth: linkTo('get', '/v1/destinations/{id}/health', byId),
  RecoverDestination: linkTo('post', '/v1/destinations/{id}/recover', byId),
};

export const heartbeatLinks: Links = {
  GetHeartbeat: linkTo('get', '/v1/heartbeats/{name}', byName),
  PingHeartbeat: linkTo('post', '/v1/heartbeats/{name}/ping', byName),
  DeleteHeartbeat: linkTo('delete', '/v1/heartbeats/{name}', byName),
};

// No link to DELETE: it expires the silence, which stays readable (README "Silences"), and a client
// following links would take a DELETE then GET answered 200 for a removal that did not happen.
export const silenceLinks: Links = {
  GetSilence: linkTo('get', '/v1/silences/{id}', byId),
};

export const inhibitRuleLinks: Links = {
  GetInhibitRule: linkTo('get', '/v1/inhibit-rules/{id}', byId),
  DeleteInhibitRule: linkTo('delete', '/v1/inhibit-rules/{id}', byId),
};

export const ruleLinks: Links = {
  GetRule: linkTo('get', '/v1/rules/{id}', byId),
  PatchRule: linkTo('patch', '/v1/rules/{id}', byId),
  DeleteRule: linkTo('delete', '/v1/rules/{id}', byId),
};

export const policyLinks: Links = {
  GetEscalationPolicy: linkTo('get', '/v1/escalation-policies/{id}', byId),
  PatchEscalationPolicy: linkTo('patch', '/v1/escalation-policies/{id}', byId),
  DeleteEscalationPolicy: linkTo('delete', '/v1/escalation-policies/{id}', byId),
};

export const alertLinks: Links = {
  GetAlert: linkTo('get', '/v1/alerts/{id}', byId),
  UpdateAlert: linkTo('post', '/v1/alerts/{id}/events', byId),
  AcknowledgeAlert: linkTo('post', '/v1/alerts/{id}/acknowledge', byId),
  UnacknowledgeAlert: linkTo('post', '/v1/alerts/{id}/unacknowledge', byId),
  ResolveAlert: linkTo('post', '/v1/alerts/{id}/resolve', byId),
  DismissAlert: linkTo('post', '/v1/alerts/{id}/dismiss', byId),
  RedeliverAlert: linkTo('post', '/v1/alerts/{id}/deliveries/{destination_id}/redeliver', { ...byId, destination_id: '$request.body#/destinations/0' }),
};
