// The one way Herald makes an outbound request, and its guard against private targets, with a
// stubbed resolver. Network rule of this file: no packet ever leaves loopback. Refused names resolve
// (in the stub) to private addresses that the guard must refuse before connecting; the only server is
// a node http server on 127.0.0.1. As a safety net, undici is wrapped so that, should the guard
// regress, a connection to anything but loopback fails the test instead of being attempted.
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { LookupAddress, LookupOptions } from 'node:dns';
import { request } from 'undici';
import { BlockedTargetError, guardedLookup, HttpClient, MAX_RESPONSE_BYTES, type HttpRequest, type LookupFn } from '../../src/destinations/http-client';
import { classifyFailure } from '../../src/destinations/outcome';

jest.mock('undici', () => {
  const actual = jest.requireActual<typeof import('undici')>('undici');
  const ipaddr = jest.requireActual<typeof import('ipaddr.js')>('ipaddr.js');
  const isLoopback = (address: string): boolean => {
    let parsed = ipaddr.parse(address);
    if (parsed.kind() === 'ipv6' && (parsed as import('ipaddr.js').IPv6).isIPv4MappedAddress()) {
      parsed = (parsed as import('ipaddr.js').IPv6).toIPv4Address();
    }
    return parsed.range() === 'loopback';
  };
  type Callback = (err: Error | null, address: unknown, family?: number) => void;
  type Lookup = (hostname: string, options: object, callback: Callback) => void;
  /** Sits between Herald's guarded lookup and the socket: only loopback answers may pass. */
  const loopbackOnly =
    (inner: Lookup): Lookup =>
    (hostname, options, callback) =>
      inner(hostname, options, (err, address, family) => {
        if (err) return callback(err, address, family);
        const list = Array.isArray(address) ? (address as { address: string }[]).map((a) => a.address) : [address as string];
        const escaped = list.find((a) => !isLoopback(a));
        if (escaped) return callback(new Error(`SAFETY NET: the guard let ${hostname} -> ${escaped} through`), address, family);
        callback(null, address, family);
      });
  class LoopbackOnlyAgent extends actual.Agent {
    constructor(options: import('undici').Agent.Options = {}) {
      const connect = options.connect as { lookup?: Lookup } | undefined;
      const wrapped = { ...connect, ...(connect?.lookup && { lookup: loopbackOnly(connect.lookup) }) };
      super({ ...options, connect: wrapped as import('undici').Agent.Options['connect'] });
    }
  }
  const guardedRequest = jest.fn((url: string | URL, options?: object) => {
    const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
    if (ipaddr.isValid(host) && !isLoopback(host)) throw new Error(`SAFETY NET: request to ${host} attempted`);
    return actual.request(url, options as never);
  });
  return { ...actual, Agent: LoopbackOnlyAgent, request: guardedRequest };
});

const strict = { allowPrivate: false, allowInsecure: true }; // http:// to the test server, private refused
const open = { allowPrivate: true, allowInsecure: true };

type StubLookup = LookupFn & { calls: string[] };

/** A resolver answering every name with the given addresses, in either form net asks for. */
function resolver(...addresses: string[]): StubLookup {
  const calls: string[] = [];
  const lookup = (hostname: string, options: LookupOptions, callback: (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void) => {
    calls.push(hostname);
    const answers = addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
    if (options.all) callback(null, answers);
    else callback(null, answers[0]!.address, answers[0]!.family);
  };
  return Object.assign(lookup, { calls });
}

function failingResolver(code: string): LookupFn {
  return (hostname, _options, callback) => callback(Object.assign(new Error(`getaddrinfo ${code} ${hostname}`), { code }), '', 0);
}

/** What the lookup hands back, as a promise. */
function resolve(lookup: LookupFn, all: boolean): Promise<string | LookupAddress[]> {
  return new Promise((ok, fail) => lookup('hooks.test', { all }, (err, address) => (err ? fail(err) : ok(address))));
}

/** The rejection of a promise (fails the test when it resolves). */
async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    (value) => {
      throw new Error(`expected a rejection, got ${JSON.stringify(value)}`);
    },
    (err: unknown) => err,
  );
}

/** The BlockedTargetError itself, or as the `cause` undici wrapped it in. */
function blockedError(err: unknown): BlockedTargetError | undefined {
  if (err instanceof BlockedTargetError) return err;
  const cause = (err as { cause?: unknown } | undefined)?.cause;
  return cause instanceof BlockedTargetError ? cause : undefined;
}

const PRIVATE_ANSWERS: [string, string, RegExp][] = [
  ['RFC 1918 10/8', '10.0.0.1', /private address \(10\.0\.0\.1\)/],
  ['RFC 1918 192.168/16', '192.168.1.1', /private address \(192\.168\.1\.1\)/],
  ['cloud metadata', '169.254.169.254', /linkLocal address \(169\.254\.169\.254\)/],
  ['IPv4 loopback', '127.0.0.1', /loopback address \(127\.0\.0\.1\)/],
  ['IPv6 loopback', '::1', /loopback address \(::1\)/],
  ['unspecified, which reaches this machine', '0.0.0.0', /unspecified address \(0\.0\.0\.0\)/],
];

describe('guardedLookup (no sockets at all)', () => {
  test.each(PRIVATE_ANSWERS)('refuses a name resolving to %s (%s)', async (_label, address, reason) => {
    for (const all of [true, false]) {
      const err = await rejection(resolve(guardedLookup(resolver(address), { allowPrivate: false, allowInsecure: false }), all));
      expect(err).toBeInstanceOf(BlockedTargetError);
      expect((err as Error).message).toMatch(/^hooks\.test resolves to a /);
      expect((err as Error).message).toMatch(reason);
      expect((err as Error).message).toMatch(/set HERALD_ALLOW_PRIVATE_TARGETS=true/);
    }
  });

  test('refuses when any one of several answers is private', async () => {
    const err = await rejection(resolve(guardedLookup(resolver('93.184.216.34', '10.1.2.3'), { allowPrivate: false, allowInsecure: false }), true));
    expect(err).toBeInstanceOf(BlockedTargetError);
    expect((err as Error).message).toMatch(/10\.1\.2\.3/);
  });

  test('passes public answers unchanged, in both forms', async () => {
    const lookup = guardedLookup(resolver('93.184.216.34', '2606:4700:4700::1111'), { allowPrivate: false, allowInsecure: false });
    await expect(resolve(lookup, true)).resolves.toEqual([
      { address: '93.184.216.34', family: 4 },
      { address: '2606:4700:4700::1111', family: 6 },
    ]);
    await expect(resolve(lookup, false)).resolves.toBe('93.184.216.34');
  });

  test('passes private answers when the operator allows private targets', async () => {
    for (const [, address] of PRIVATE_ANSWERS) {
      await expect(resolve(guardedLookup(resolver(address), open), false)).resolves.toBe(address);
    }
  });

  test('passes resolver errors through untouched', async () => {
    const err = await rejection(resolve(guardedLookup(failingResolver('ENOTFOUND'), { allowPrivate: false, allowInsecure: false }), true));
    expect(err).not.toBeInstanceOf(BlockedTargetError);
    expect(err).toMatchObject({ code: 'ENOTFOUND' });
  });
});

describe('HttpClient against a loopback server', () => {
  let server: http.Server;
  let port: number;
  let connections = 0;
  const seen: { method?: string; url?: string; headers: http.IncomingHttpHeaders; body: string }[] = [];

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      req.on('end', () => {
        seen.push({ method: req.method, url: req.url, headers: req.headers, body });
        if (req.url === '/hang') return; // never answers
        if (req.url === '/redirect') {
          res.writeHead(302, { location: 'http://hooks.test/elsewhere' }).end();
          return;
        }
        if (req.url === '/big') return void res.end('x'.repeat(MAX_RESPONSE_BYTES + 1000));
        if (req.url === '/exact') return void res.end('x'.repeat(MAX_RESPONSE_BYTES));
        res.writeHead(201, { 'content-type': 'application/json', 'x-multi': ['a', 'b'] }).end('{"ok":true}');
      });
    });
    server.on('connection', () => connections++);
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    port = (server.address() as AddressInfo).port;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((done) => server.close(done));
  });

  let client: HttpClient | undefined;
  beforeEach(() => {
    connections = 0;
    seen.length = 0;
    jest.mocked(request).mockClear();
  });
  afterEach(async () => {
    await client?.close();
    client = undefined;
  });

  const post = (url: string, policy = strict, extra: Partial<HttpRequest> = {}): HttpRequest => ({
    url,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{"event_type":"test"}',
    timeoutMs: 2000,
    policy,
    ...extra,
  });

  test.each(PRIVATE_ANSWERS)('refuses a name resolving to %s (%s) before connecting', async (_label, address, reason) => {
    const lookup = resolver(address);
    client = new HttpClient(lookup);
    const err = await rejection(client.send(post(`http://hooks.test:${port}/`)));
    const blocked = blockedError(err);
    expect(blocked).toBeInstanceOf(BlockedTargetError);
    expect(blocked!.message).toMatch(reason);
    expect(lookup.calls).toContain('hooks.test'); // the resolver was asked, and its answer refused
    expect(connections).toBe(0);
    // However undici wraps it, the outcome is a final refusal that is not retried.
    expect(classifyFailure(err, 1, 2000)).toMatchObject({ ok: false, permanent: true, error: expect.stringMatching(reason) });
  });

  test.each([
    ['IPv4 loopback', '127.0.0.1'],
    ['IPv6 loopback', '[::1]'],
    ['IPv4-mapped loopback', '[::ffff:127.0.0.1]'],
    ['RFC 1918 10/8', '10.0.0.1'],
    ['RFC 1918 192.168/16', '192.168.1.1'],
    ['cloud metadata', '169.254.169.254'],
    ['IPv6 unique-local', '[fd00::1]'],
    ['IPv4-mapped metadata', '[::ffff:169.254.169.254]'],
    ['unspecified', '0.0.0.0'],
  ])('refuses an IP-literal URL to %s before any request is made', async (_label, host) => {
    const lookup = resolver('127.0.0.1');
    client = new HttpClient(lookup);
    const err = await rejection(client.send(post(`http://${host}:${port}/latest/meta-data`)));
    expect(err).toBeInstanceOf(BlockedTargetError);
    expect((err as Error).message).toMatch(/^target resolves to a \w+ address/);
    expect(request).not.toHaveBeenCalled();
    expect(lookup.calls).toEqual([]);
    expect(connections).toBe(0);
    expect(classifyFailure(err, 0, 2000)).toMatchObject({ ok: false, permanent: true });
  });

  test('connects through the stubbed resolver when private targets are allowed', async () => {
    const lookup = resolver('127.0.0.1');
    client = new HttpClient(lookup);
    const response = await client.send(post(`http://hooks.test:${port}/alerts?x=1`, open, { headers: { 'content-type': 'application/json', 'x-team': 'data' } }));
    expect(response).toMatchObject({ status: 201, body: '{"ok":true}', truncated: false });
    expect(response.headers['content-type']).toBe('application/json');
    expect(response.headers['x-multi']).toBe('a, b');
    expect(lookup.calls).toContain('hooks.test');
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ method: 'POST', url: '/alerts?x=1', body: '{"event_type":"test"}' });
    expect(seen[0]!.headers).toMatchObject({ host: `hooks.test:${port}`, 'x-team': 'data', 'content-type': 'application/json' });
  });

  test('an allowed request does not open the door for a refused one on the same client', async () => {
    client = new HttpClient(resolver('127.0.0.1'));
    await expect(client.send(post(`http://hooks.test:${port}/`, open))).resolves.toMatchObject({ status: 201 });
    const before = connections;
    const err = await rejection(client.send(post(`http://hooks.test:${port}/`, strict)));
    expect(blockedError(err)).toBeInstanceOf(BlockedTargetError);
    expect(connections).toBe(before);
    expect(seen).toHaveLength(1);
  });

  test('redirects are returned, not followed', async () => {
    client = new HttpClient(resolver('127.0.0.1'));
    const response = await client.send(post(`http://hooks.test:${port}/redirect`, open));
    expect(response.status).toBe(302);
    expect(response.headers.location).toBe('http://hooks.test/elsewhere');
    expect(seen.map((r) => r.url)).toEqual(['/redirect']);
  });

  test('the response body is read up to the cap and marked truncated', async () => {
    client = new HttpClient(resolver('127.0.0.1'));
    const response = await client.send(post(`http://hooks.test:${port}/big`, open, { method: 'GET', body: undefined }));
    expect(response.status).toBe(200);
    expect(response.body).toHaveLength(MAX_RESPONSE_BYTES);
    expect(response.truncated).toBe(true);
  });

  test('a body of exactly the cap is complete, not truncated', async () => {
    client = new HttpClient(resolver('127.0.0.1'));
    const response = await client.send(post(`http://hooks.test:${port}/exact`, open, { method: 'GET', body: undefined }));
    expect(response.body).toHaveLength(MAX_RESPONSE_BYTES);
    expect(response.truncated).toBe(false);
  });

  test('a receiver that never answers times out, and the outcome says so and is retryable', async () => {
    client = new HttpClient(resolver('127.0.0.1'));
    const started = Date.now();
    const err = await rejection(client.send(post(`http://hooks.test:${port}/hang`, open, { timeoutMs: 300 })));
    expect(Date.now() - started).toBeLessThan(5000);
    const outcome = classifyFailure(err, 300, 300);
    expect(outcome).toEqual({ ok: false, duration_ms: 300, error: 'timed out after 0.3s' });
  });

  test('a name that does not resolve is a retryable failure that says so', async () => {
    client = new HttpClient(failingResolver('ENOTFOUND'));
    const err = await rejection(client.send(post(`http://hooks.test:${port}/`, open)));
    expect(blockedError(err)).toBeUndefined();
    const outcome = classifyFailure(err, 1, 2000);
    expect(outcome.permanent).toBeUndefined();
    expect(outcome.error).toMatch(/ENOTFOUND.*does not resolve/);
    expect(connections).toBe(0);
  });
});
