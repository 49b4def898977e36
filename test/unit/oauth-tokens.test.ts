// The OAuth token cache against a real token endpoint on loopback, with a controllable clock.
import { HttpClient } from '../../src/destinations/http-client';
import { OAuthTokenError, OAuthTokens } from '../../src/destinations/webhook/oauth';
import { TokenServer } from '../support/token-server';

const policy = { allowPrivate: true, allowInsecure: true };
let server: TokenServer;
let http: HttpClient;

beforeAll(async () => {
  server = await TokenServer.start({ clientId: 'id-1', clientSecret: 'secret-1', lifetimeS: 120 });
  http = new HttpClient();
});
afterAll(async () => {
  await http.close();
  await server.close();
});

const config = () => ({
  type: 'oauth2_client_credentials' as const,
  token_url: server.url(),
  client_id: 'id-1',
  client_secret: 'secret-1',
  scopes: ['a', 'b'],
});

test('caches a token until 30 s before it expires, then fetches a new one', async () => {
  let now = 1_000_000;
  const tokens = new OAuthTokens(http, () => now);
  const first = await tokens.token(config(), policy, 5000);
  expect(server.requests.at(-1)).toEqual({ grant_type: 'client_credentials', scope: 'a b' });
  now += 89_000; // 120 s lifetime − 30 s margin = 90 s of use
  expect(await tokens.token(config(), policy, 5000)).toBe(first);
  now += 2_000;
  const second = await tokens.token(config(), policy, 5000);
  expect(second).not.toBe(first);
  expect(server.issued.slice(-2)).toEqual([first, second]);
});

test('concurrent callers share one token request', async () => {
  const tokens = new OAuthTokens(http);
  const before = server.issued.length;
  const all = await Promise.all(Array.from({ length: 10 }, () => tokens.token(config(), policy, 5000)));
  expect(new Set(all).size).toBe(1);
  expect(server.issued.length - before).toBe(1);
});

test('invalidate drops only the refused token; a changed secret never reuses the old token', async () => {
  const tokens = new OAuthTokens(http);
  const first = await tokens.token(config(), policy, 5000);
  tokens.invalidate(config(), 'some-other-token');
  expect(await tokens.token(config(), policy, 5000)).toBe(first);
  tokens.invalidate(config(), first);
  expect(await tokens.token(config(), policy, 5000)).not.toBe(first);
  await expect(tokens.token({ ...config(), client_secret: 'wrong' }, policy, 5000)).rejects.toThrow(OAuthTokenError);
  await expect(tokens.token({ ...config(), client_secret: 'wrong' }, policy, 5000)).rejects.toThrow(/HTTP 401 \(invalid_client: client authentication failed\)/);
});
