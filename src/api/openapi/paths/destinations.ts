// /v1/destinations: where alerts go, their secrets, tests, health and bulk recovery (README "API").
import type { Components } from '../components';
import { destinationLinks } from '../links';
import type { Define } from '../operations';

export function destinationPaths(define: Define, c: Components): void {
  define('post', '/v1/destinations', { summary: 'Create a destination (the 201 shows its secrets once)', body: c.DestinationInput, ok: [201, c.Destination], errors: [400, 409], meanings: { 422: 'the tenant has max_destinations destinations already (tenant_destination_limit)' }, links: destinationLinks, tenantScoped: true });
  define('get', '/v1/destinations', { summary: 'List destinations (secrets masked)', ok: [200, c.DestinationList], errors: [], tenantScoped: true });
  define('post', '/v1/destinations/test', { summary: 'Send a test event to an unsaved destination', body: c.DestinationInput, ok: [200, c.DestinationTestResult], errors: [400], tenantScoped: true });
  define('get', '/v1/destinations/{id}', { summary: 'A destination (secrets masked)', ok: [200, c.Destination], errors: [404], tenantScoped: true });
  define('patch', '/v1/destinations/{id}', { summary: 'Change a destination (masked secrets sent back are kept)', body: c.DestinationPatch, ok: [200, c.Destination], errors: [400, 404, 409], tenantScoped: true });
  define('delete', '/v1/destinations/{id}', { summary: 'Delete a destination', ok: [204], errors: [404], tenantScoped: true });
  define('get', '/v1/destinations/{id}/secret', { summary: 'The signing secret in full', ok: [200, c.SigningSecret], errors: [404], meanings: { 409: 'the destination is of a type without a signing secret, e.g. incident.io, PagerDuty or Slack (no_signing_secret)' }, tenantScoped: true });
  define('post', '/v1/destinations/{id}/secret/rotate', { summary: 'Rotate the signing secret (both sign for 24 h)', ok: [200, c.SigningSecretRotation], errors: [404], meanings: { 409: 'the destination has no signing secret to rotate (no_signing_secret)' }, tenantScoped: true });
  define('post', '/v1/destinations/{id}/test', { summary: 'Send a test event now; answers the invocation data', ok: [200, c.DestinationTestResult], errors: [404], tenantScoped: true });
  define('get', '/v1/destinations/{id}/health', { summary: 'Attempts, success ratio, p50/p99 latency and the last errors over the last hour and day', ok: [200, c.DestinationHealth], errors: [404], tenantScoped: true });
  define('post', '/v1/destinations/{id}/recover', { summary: 'Redeliver every event that failed at this destination and was created in [since, until), each in its alert\'s order (202: queued)', body: c.RecoverInput, ok: [202, c.Recovery], errors: [400, 404, 503], tenantScoped: true });
}
