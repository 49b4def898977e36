// The fuzz suite's guard (test/support/loopback-only.ts): names are not resolved and non-loopback
// addresses are not connected to, while loopback works as before. Each refusal is checked only once
// the guard is seen in place, so a guard that failed to install sends nothing either.
import dns from 'node:dns';
import net from 'node:net';
import tls from 'node:tls';
import { allowLoopbackOnly } from '../support/loopback-only';

test('lookups fail as not found and non-loopback connects fail before a packet; loopback still connects', async () => {
  const original = { lookup: dns.lookup, connect: net.connect, tlsConnect: tls.connect };
  const guard = allowLoopbackOnly();
  try {
    expect([dns.lookup, net.connect, tls.connect]).not.toEqual([original.lookup, original.connect, original.tlsConnect]);
    const looked = await new Promise<NodeJS.ErrnoException | null>((resolve) => dns.lookup('example.invalid', (err) => resolve(err)));
    expect(looked?.code).toBe('ENOTFOUND');
    const localhost = await new Promise<string>((resolve) => dns.lookup('localhost', (_err, address) => resolve(address)));
    expect(localhost).toBe('127.0.0.1');

    const refusedError = (socket: net.Socket) => new Promise<NodeJS.ErrnoException>((resolve) => socket.once('error', resolve));
    expect((await refusedError(net.connect({ host: '192.0.2.1', port: 443 }))).code).toBe('ECONNREFUSED');
    expect((await refusedError(tls.connect({ host: '2001:db8::1', port: 443 }))).code).toBe('ECONNREFUSED');
    expect(guard.refused).toEqual(['lookup example.invalid', 'connect 192.0.2.1', 'connect 2001:db8::1']);

    const server = net.createServer((s) => s.end('hi'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as net.AddressInfo;
    const answer = await new Promise<string>((resolve) => net.connect({ host: '127.0.0.1', port }).on('data', (d) => resolve(d.toString())));
    expect(answer).toBe('hi');
    server.close();
  } finally {
    guard.restore();
  }
  expect(dns.lookup).toBe(original.lookup);
  expect(net.connect).toBe(original.connect);
});
