// Every destination type goes through one exchange path (src/destinations/exchange.ts): the URL
// policy is checked again at send time for each of them, and each answers "Send test" with the request
// it made (secrets masked). The receiver is a loopback server; a refused URL is never contacted.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { HttpClient } from '../../src/destinations/http-client';
import { createRegistry } from '../../src/destinations/registry';
import { sampleTestEvent } from '../../src/destinations/test-event';
import type { SentMessageStore } from '../../src/store/sent-messages';

const client = new HttpClient();
const nothingSent = { wasSent: async () => false, record: async () => undefined } as unknown as SentMessageStore;
const registry = createRegistry(client, nothingSent);
let server: http.Server;
let base: string;
const seen: { url: string; authorization?: string }[] = [];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    seen.push({ url: req.url!, ...(req.headers.authorization && { authorization: req.headers.authorization }) });
    req.resume();
    req.on('end', () => {
      if (req.url?.startsWith('/v2/incidents')) return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ incident: { id: 'inc_1', reference: 'INC-1', incident_status: { category: 'triage' } } }));
      if (req.url === '/v2/enqueue') return void res.writeHead(202, { 'content-type': 'application/json' }).end('{"status":"success","message":"Event processed","dedup_key":"k"}');
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await client.close();
  await new Promise((resolve) => server.close(resolve));
});

const configs = () => ({
  webhook: { url: `${base}/hook`, method: 'POST', headers: {}, auth: { type: 'bearer', token: 'secret-token-123456' }, response_validators: [], signing_secret: 'whsec_c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0' },
  incident_io: { api_key: 'inc-api-key-abcdefgh', base_url: base, mode: 'standard', visibility: 'public' },
  pagerduty: { routing_key: 'R0123456789abcdef0123456789abcde', base_url: base },
  slack: { webhook_url: `${base}/services/T000/B000/XXXXXXXXXXXX` },
  discord: { webhook_url: `${base}/api/webhooks/123/discord-token-YYYY` },
  teams: { webhook_url: `${base}/workflows/abc/triggers/manual/paths/invoke?api-version=2016-06-01&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=teams-sig-ZZZZZZZZ` },
});
const ctx = (allowInsecure: boolean) => ({ workflowId: 'alert:x', destinationId: 'dst_x', deliveryId: 'msg_x', attempt: 1, timeoutMs: 2000, policy: { allowPrivate: true, allowInsecure } });

test.each(['webhook', 'incident_io', 'pagerduty', 'slack', 'discord', 'teams'] as const)('%s: answers with its request, secrets masked', async (type) => {
  const outcome = await registry[type].send(sampleTestEvent(new Date()), configs()[type], ctx(true));
  expect(outcome).toMatchObject({ ok: true, invocation: { request: { method: expect.any(String), url: expect.any(String) }, response: { status: expect.any(Number) } } });
  const shown = JSON.stringify(outcome.invocation);
  for (const secret of ['secret-token-123456', 'inc-api-key-abcdefgh', 'R0123456789abcdef0123456789abcde', 'XXXXXXXXXXXX', 'discord-token-YYYY', 'teams-sig-ZZZZZZZZ']) expect(shown).not.toContain(secret);
});

test.each(['webhook', 'incident_io', 'pagerduty', 'slack', 'discord', 'teams'] as const)('%s: a URL the policy refuses now is refused at send time, never contacted', async (type) => {
  const before = seen.length;
  const outcome = await registry[type].send(sampleTestEvent(new Date()), configs()[type], ctx(false));
  expect(outcome).toMatchObject({ ok: false, permanent: true, error: expect.stringMatching(/^URL must use https/) });
  expect(seen.length).toBe(before);
});
