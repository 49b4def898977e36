// Which outbound addresses Herald may reach (README "Outbound safety"). Checked when a
// destination is saved (the URL) and again at send time (the address the name resolves to).
import ipaddr from 'ipaddr.js';

export type TargetPolicy = { allowPrivate: boolean; allowInsecure: boolean };

/** Why this URL may not be used as a destination, or undefined when it may. */
export function urlProblem(raw: string, policy: TargetPolicy): string | undefined {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'is not a valid URL';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'must be an https:// URL';
  if (url.username || url.password) return 'must not carry credentials; use auth instead';
  if (!policy.allowInsecure) {
    if (url.protocol !== 'https:') return 'must use https (set HERALD_ALLOW_INSECURE_TARGETS=true to allow http)';
    if (url.port !== '') return 'must use the default https port (set HERALD_ALLOW_INSECURE_TARGETS=true to allow others)';
  }
  return hostProblem(url.hostname, policy);
}

/** Why this host name or address may not be contacted (before resolving it), or undefined when it may. */
export function hostProblem(hostname: string, policy: TargetPolicy): string | undefined {
  // "localhost." is the same name as "localhost": drop the root label's dot before comparing.
  const host = hostname.replace(/^\[|\]$/g, '').replace(/\.$/, '').toLowerCase();
  if (ipaddr.isValid(host)) return addressProblem(host, policy);
  if (!policy.allowPrivate && (host === 'localhost' || host.endsWith('.localhost'))) {
    return 'points to a loopback address (set HERALD_ALLOW_PRIVATE_TARGETS=true to allow it)';
  }
  return undefined;
}

/** Why this resolved IP address may not be contacted, or undefined when it may. */
export function addressProblem(address: string, policy: TargetPolicy): string | undefined {
  if (policy.allowPrivate) return undefined;
  let parsed = ipaddr.parse(address);
  if (parsed.kind() === 'ipv6') {
    const v6 = parsed as ipaddr.IPv6;
    // IPv4-mapped (::ffff:a.b.c.d) and the deprecated IPv4-compatible form (::a.b.c.d) reach IPv4 hosts.
    const parts = v6.parts;
    const compatible = parts.slice(0, 6).every((p) => p === 0) && (parts[6]! !== 0 || parts[7]! > 1);
    if (v6.isIPv4MappedAddress()) parsed = v6.toIPv4Address();
    else if (compatible) parsed = ipaddr.fromByteArray(v6.toByteArray().slice(12));
  }
  const range = parsed.range();
  if (range === 'unicast') return undefined;
  return `resolves to a ${range} address (${address}); set HERALD_ALLOW_PRIVATE_TARGETS=true to allow private targets`;
}
