// The one way Herald makes an outbound HTTP request: a timeout on every request, redirects never
// followed, the response body read up to a cap, and the resolved address checked against the
// target policy at connect time (so DNS cannot point an allowed name at a private address).
import dns from 'node:dns';
import type { LookupAddress, LookupOptions } from 'node:dns';
import { Agent, request } from 'undici';
import ipaddr from 'ipaddr.js';
import { addressProblem, type TargetPolicy } from '../domain/target-policy';
import { inClientSpan } from '../telemetry/client-span';

export const MAX_RESPONSE_BYTES = 64 * 1024;

export type HttpRequest = {
  url: string;
  method: 'POST' | 'PUT' | 'PATCH' | 'GET';
  headers: Record<string, string>;
  body?: string;
  timeoutMs: number;
  policy: TargetPolicy;
  /** The URL as it may be shown, secrets masked by the provider: what the request's span records (src/telemetry/client-span.ts). */
  shownUrl?: string;
};

export type HttpResponse = {
  status: number;
  headers: Record<string, string>;
  body: string;
  truncated: boolean;
};

/** The target may not be contacted under the operator's policy: a configuration error, never retried. */
export class BlockedTargetError extends Error {}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;
export type LookupFn = (hostname: string, options: LookupOptions, callback: LookupCallback) => void;

export class HttpClient {
  private readonly agents = new Map<string, Agent>();

  /** `lookup` is replaceable so tests can check private ranges without sending a packet. */
  constructor(private readonly lookup: LookupFn = dns.lookup as unknown as LookupFn) {}

  async send(req: HttpRequest): Promise<HttpResponse> {
    refuseLiteral(new URL(req.url).hostname, req.policy);
    // With tracing on, the request is a span and carries its traceparent to the receiver.
    return inClientSpan(req, async (traceHeaders) => {
      const res = await request(req.url, {
        method: req.method,
        headers: { ...req.headers, ...traceHeaders },
        body: req.body,
        dispatcher: this.agentFor(req.policy),
        signal: AbortSignal.timeout(req.timeoutMs),
        headersTimeout: req.timeoutMs,
        bodyTimeout: req.timeoutMs,
      });
      const { body, truncated } = await readCapped(res.body, MAX_RESPONSE_BYTES);
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(res.headers)) {
        if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
      }
      return { status: res.statusCode, headers, body, truncated };
    });
  }

  /**
   * The address a non-HTTP connection (SMTP) to `hostname` must use: resolved by the same lookup and
   * refused by the same policy as HTTP requests; connecting to it, not the name, leaves DNS no second say.
   */
  async resolve(hostname: string, policy: TargetPolicy): Promise<string> {
    const literal = refuseLiteral(hostname, policy);
    if (literal) return literal;
    const lookup = guardedLookup(this.lookup, policy);
    return new Promise((resolve, reject) => {
      lookup(hostname, { all: false }, (err, address) => (err ? reject(err) : resolve(Array.isArray(address) ? address[0]!.address : address)));
    });
  }

  async close(): Promise<void> {
    await Promise.all([...this.agents.values()].map((agent) => agent.close()));
    this.agents.clear();
  }

  private agentFor(policy: TargetPolicy): Agent {
    const key = `${policy.allowPrivate}`;
    let agent = this.agents.get(key);
    if (!agent) {
      agent = new Agent({ connect: { lookup: guardedLookup(this.lookup, policy) }, connections: 64 });
      this.agents.set(key, agent);
    }
    return agent;
  }
}

/** An IP literal is never looked up: checked here, returned bare; undefined for a name. */
function refuseLiteral(hostname: string, policy: TargetPolicy): string | undefined {
  const host = hostname.replace(/^\[|\]$/g, '');
  if (!ipaddr.isValid(host)) return undefined;
  const problem = addressProblem(host, policy);
  if (problem) throw new BlockedTargetError(`target ${problem}`);
  return host;
}

/** A DNS lookup that refuses, before any connection, every answer the policy does not allow. */
export function guardedLookup(lookup: LookupFn, policy: TargetPolicy): LookupFn {
  return (hostname, options, callback) => {
    lookup(hostname, options, (err, address, family) => {
      if (err) return callback(err, address, family);
      const addresses = Array.isArray(address) ? address.map((a) => a.address) : [address];
      for (const candidate of addresses) {
        const problem = addressProblem(candidate, policy);
        if (problem) return callback(new BlockedTargetError(`${hostname} ${problem}`), address, family);
      }
      callback(null, address, family);
    });
  };
}

async function readCapped(
  stream: AsyncIterable<Buffer> & { destroy(): void },
  maxBytes: number,
): Promise<{ body: string; truncated: boolean }> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    if (size + chunk.length > maxBytes) {
      // More than the cap: keep what fits and stop reading (a huge body must not hold the lane).
      chunks.push(chunk.subarray(0, maxBytes - size));
      stream.destroy();
      return { body: Buffer.concat(chunks).toString('utf8'), truncated: true };
    }
    chunks.push(chunk);
    size += chunk.length;
  }
  return { body: Buffer.concat(chunks).toString('utf8'), truncated: false };
}
