// The outbound address guard. Refused ranges are checked against a stubbed resolver and never reach
// a socket; the only tests that connect use loopback addresses.
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { BlockedTargetError, guardedLookup, HttpClient, type LookupFn } from '../../src/destinations/http-client';
import { addressProblem, urlProblem } from '../../src/domain/target-policy';
import { classifyFailure } from '../../src/destinations/outcome';

const strict = { allowPrivate: false, allowInsecure: false };
const open = { allowPrivate: true, allowInsecure: true };

/** A resolver that answers every name with the given addresses, as DNS would (all: true or not). */
function resolver(...addresses: string[]): LookupFn {
  return (_host, options, callback) => {
    const answers = addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
    if ((options as { all?: boolean }).all) callback(null, answers);
    else callback(null, answers[0]!.address, answers[0]!.family);
  };
}

function lookupResult(lookup: LookupFn, all = true): Promise<unknown> {
  return new Promise((resolve, reject) =>
    lookup('hooks.example.test', { all }, (err, address) => (err ? reject(err) : resolve(address))),
  );
}

const BLOCKED: [string, string][] = [
  ['loopback', '127.0.0.1'],
  ['loopback (other)', '127.8.9.10'],
  ['RFC 1918 10/8', '10.0.0.1'],
  ['RFC 1918 172.16/12', '172.20.1.1'],
  ['RFC 1918 192.168/16', '192.168.1.1'],
  ['CGNAT', '100.64.0.1'],
  ['link-local', '169.254.10.10'],
  ['cloud metadata', '169.254.169.254'],
  ['unspecified', '0.0.0.0'],
  ['multicast', '224.0.0.1'],
  ['broadcast', '255.255.255.255'],
  ['reserved', '240.0.0.1'],
  ['IPv6 loopback', '::1'],
  ['IPv6 unique-local', 'fd00::1'],
  ['IPv6 link-local', 'fe80::1'],
  ['IPv4-mapped loopback', '::ffff:127.0.0.1'],
  ['IPv4-mapped private', '::ffff:10.0.0.1'],
  ['IPv4-mapped metadata', '::ffff:169.254.169.254'],
  ['IPv6 multicast', 'ff02::1'],
];

describe('guarded lookup (no network)', () => {
  it.each(BLOCKED)('refuses a name resolving to %s (%s)', async (_label, address) => {
    await expect(lookupResult(guardedLookup(resolver(address), strict))).rejects.toThrow(BlockedTargetError);
    await expect(lookupResult(guardedLookup(resolver(address), strict), false)).rejects.toThrow(/HERALD_ALLOW_PRIVATE_TARGETS/);
  });

  it('refuses when any one of several answers is private (a rebinding name)', async () => {
    await expect(lookupResult(guardedLookup(resolver('93.184.216.34', '10.1.2.3'), strict))).rejects.toThrow(/10\.1\.2\.3/);
  });

  it('passes public answers, and private ones when the operator allows them', async () => {
    await expect(lookupResult(guardedLookup(resolver('93.184.216.34'), strict))).resolves.toEqual([{ address: '93.184.216.34', family: 4 }]);
    await expect(lookupResult(guardedLookup(resolver('2606:4700::1'), strict), false)).resolves.toBe('2606:4700::1');
    await expect(lookupResult(guardedLookup(resolver('10.0.0.1'), open))).resolves.toEqual([{ address: '10.0.0.1', family: 4 }]);
  });

  it.each(BLOCKED)('addressProblem names the %s range', (_label, address) => {
    expect(addressProblem(address, strict)).toMatch(/resolves to a \w+ address/);
  });
});

describe('URL policy at save time', () => {
  it.each([
    ['http://hooks.example.com/x', /https/],
    ['https://hooks.example.com:8443/x', /default https port/],
    ['https://127.0.0.1/x', /loopback/],
    ['https://[::1]/x', /loopback/],
    ['https://169.254.169.254/latest/meta-data', /linkLocal/],
    ['https://localhost/x', /loopback/],
    ['https://user:pw@hooks.example.com/x', /credentials/],
    ['ftp://hooks.example.com/x', /https/],
    ['not a url', /not a valid URL/],
  ])('%s is refused', (url, reason) => {
    expect(urlProblem(url, strict)).toMatch(reason);
  });

  it('accepts https on the default port, and http/ports/loopback when allowed', () => {
    expect(urlProblem('https://hooks.example.com/alerts', strict)).toBeUndefined();
    expect(urlProblem('http://127.0.0.1:9000/x', open)).toBeUndefined();
  });
});

describe('HttpClient through a real socket on loopback', () => {
  let server: http.Server;
  let port: number;
  beforeAll(async () => {
    server = http.createServer((_req, res) => res.end('ok'));
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise((r) => server.close(r)));

  it('refuses a name that resolves to loopback when private targets are not allowed', async () => {
    const client = new HttpClient(resolver('127.0.0.1'));
    const request = client.send({ url: `http://hooks.example.test:${port}/`, method: 'POST', headers: {}, body: '{}', timeoutMs: 2000, policy: { allowPrivate: false, allowInsecure: true } });
    const error = await request.then(() => undefined, (err: unknown) => err);
    expect(String(error)).toMatch(/hooks\.example\.test resolves to a loopback address/);
    // However undici wraps it, the delivery outcome is a final, non-retried refusal.
    expect(classifyFailure(error, 1, 2000)).toMatchObject({ ok: false, permanent: true, error: expect.stringMatching(/loopback/) });
    await client.close();
  });

  it('refuses a loopback literal before connecting', async () => {
    const client = new HttpClient(resolver('127.0.0.1'));
    await expect(
      client.send({ url: `http://127.0.0.1:${port}/`, method: 'POST', headers: {}, timeoutMs: 2000, policy: { allowPrivate: false, allowInsecure: true } }),
    ).rejects.toThrow(BlockedTargetError);
    await client.close();
  });

  it('connects through the stubbed resolver when allowed', async () => {
    const client = new HttpClient(resolver('127.0.0.1'));
    const response = await client.send({ url: `http://hooks.example.test:${port}/`, method: 'POST', headers: {}, body: '{}', timeoutMs: 2000, policy: open });
    expect(response).toMatchObject({ status: 200, body: 'ok', truncated: false });
    await client.close();
  });
});

test('the deprecated IPv4-compatible IPv6 form is judged by its IPv4 address', () => {
  expect(addressProblem('::7f00:1', strict)).toMatch(/loopback/);
  expect(addressProblem('::a9fe:a9fe', strict)).toMatch(/linkLocal/);
  expect(addressProblem('::1', strict)).toMatch(/loopback/);
  expect(addressProblem('::5db8:d822', strict)).toBeUndefined(); // 93.184.216.34
});

test('Authorization cannot be a plain header: it belongs in auth, where it is masked', async () => {
  const { webhookConfigSchema } = await import('../../src/destinations/webhook/config');
  expect(webhookConfigSchema.safeParse({ url: 'https://hooks.example.com/x', headers: { Authorization: 'Bearer x' } }).success).toBe(false);
});
