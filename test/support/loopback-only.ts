// For suites that let generated input choose destination URLs (the fuzz suite): no name is resolved
// (every lookup but "localhost" fails as not found, so no query reaches the machine's resolver) and no
// connection is opened to an address outside loopback (it fails before a packet is sent). What was
// refused is recorded, so the suite can say what Herald tried.
import dns from 'node:dns';
import net from 'node:net';
import tls from 'node:tls';
import ipaddr from 'ipaddr.js';

export type LoopbackGuard = { refused: string[]; restore(): void };

const isLoopback = (host: string) => {
  const bare = host.replace(/^\[|\]$/g, '');
  return bare === 'localhost' || (ipaddr.isValid(bare) && ipaddr.process(bare).range() === 'loopback');
};

export function allowLoopbackOnly(): LoopbackGuard {
  const refused: string[] = [];
  const original = { lookup: dns.lookup, netConnect: net.connect, createConnection: net.createConnection, tlsConnect: tls.connect };

  const lookup = (hostname: string, options: unknown, callback?: unknown) => {
    const done = (typeof options === 'function' ? options : callback) as (err: Error | null, address?: unknown, family?: number) => void;
    const all = typeof options === 'object' && options !== null && (options as { all?: boolean }).all;
    // A loopback literal is its own answer (net asks for one too); "localhost" is 127.0.0.1.
    if (isLoopback(hostname)) {
      const address = hostname === 'localhost' ? '127.0.0.1' : hostname.replace(/^\[|\]$/g, '');
      const family = net.isIPv6(address) ? 6 : 4;
      process.nextTick(() => (all ? done(null, [{ address, family }]) : done(null, address, family)));
      return;
    }
    refused.push(`lookup ${hostname}`);
    process.nextTick(() => done(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname} (names are not resolved in this suite)`), { code: 'ENOTFOUND', hostname })));
  };

  /** The host a net/tls connect call names, when it names one (a path or a bare port is local). */
  const hostOf = (args: unknown[]): string | undefined => {
    const [first, second] = args;
    if (typeof first === 'object' && first !== null) return (first as { host?: string }).host ?? undefined;
    if (typeof first === 'number' || (typeof first === 'string' && /^\d+$/.test(first))) return typeof second === 'string' ? second : undefined;
    return undefined;
  };
  const guarded = <F extends (...args: never[]) => net.Socket>(connect: F): F =>
    ((...args: unknown[]) => {
      const host = hostOf(args);
      // A name is let through: the connection's own lookup is the one above.
      if (host !== undefined && ipaddr.isValid(host.replace(/^\[|\]$/g, '')) && !isLoopback(host)) {
        refused.push(`connect ${host}`);
        const socket = new net.Socket();
        process.nextTick(() => socket.destroy(Object.assign(new Error(`connect to ${host} refused: this suite reaches loopback only`), { code: 'ECONNREFUSED' })));
        return socket;
      }
      return (connect as unknown as (...a: unknown[]) => net.Socket)(...args);
    }) as unknown as F;

  Object.assign(dns, { lookup });
  Object.assign(net, { connect: guarded(original.netConnect), createConnection: guarded(original.createConnection) });
  Object.assign(tls, { connect: guarded(original.tlsConnect as never) });
  return {
    refused,
    restore() {
      Object.assign(dns, { lookup: original.lookup });
      Object.assign(net, { connect: original.netConnect, createConnection: original.createConnection });
      Object.assign(tls, { connect: original.tlsConnect });
    },
  };
}
