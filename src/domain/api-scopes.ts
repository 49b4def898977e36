// What each API key may do. A key has one or more scopes (HERALD_API_KEYS=key:ingest+read,…; a
// key without any is admin): ingest posts alerts, their updates, acknowledgements and closes, and the sources; read
// sees alerts, destinations (masked), rules and metrics; admin does everything, secrets and
// configuration included. Every route's scope is in the one table below.

export const SCOPES = ['ingest', 'read', 'admin'] as const;
export type Scope = (typeof SCOPES)[number];

type RouteScope = { method: string; path: RegExp; scope: Scope };

const ID = '[^/]+';
/** Paths under /v1. A route not listed needs admin. */
const ROUTE_SCOPES: RouteScope[] = [
  { method: 'POST', path: /^\/alerts\/?$/, scope: 'ingest' },
  { method: 'POST', path: new RegExp(`^/alerts/${ID}/(events|resolve|dismiss|acknowledge|unacknowledge)/?$`), scope: 'ingest' },
  { method: 'POST', path: new RegExp(`^/sources/${ID}/?$`), scope: 'ingest' },
  { method: 'POST', path: new RegExp(`^/heartbeats/${ID}/ping/?$`), scope: 'ingest' },
  { method: 'GET', path: /^\/heartbeats\/?$/, scope: 'read' },
  { method: 'GET', path: new RegExp(`^/heartbeats/${ID}/?$`), scope: 'read' },
  { method: 'GET', path: /^\/alerts\/?$/, scope: 'read' },
  { method: 'GET', path: new RegExp(`^/alerts/${ID}/?$`), scope: 'read' },
  { method: 'GET', path: /^\/destinations\/?$/, scope: 'read' },
  { method: 'GET', path: new RegExp(`^/destinations/${ID}/?$`), scope: 'read' },
  { method: 'GET', path: new RegExp(`^/destinations/${ID}/health/?$`), scope: 'read' },
  { method: 'GET', path: /^\/rules\/?$/, scope: 'read' },
  { method: 'GET', path: new RegExp(`^/rules/${ID}/?$`), scope: 'read' },
  { method: 'GET', path: /^\/escalation-policies\/?$/, scope: 'read' },
  { method: 'GET', path: new RegExp(`^/escalation-policies/${ID}/?$`), scope: 'read' },
  { method: 'GET', path: /^\/groups\/?$/, scope: 'read' },
  { method: 'GET', path: /^\/silences\/?$/, scope: 'read' },
  { method: 'GET', path: /^\/inhibit-rules\/?$/, scope: 'read' },
  { method: 'GET', path: new RegExp(`^/inhibit-rules/${ID}/?$`), scope: 'read' },
  { method: 'GET', path: new RegExp(`^/silences/${ID}/?$`), scope: 'read' },
  { method: 'GET', path: new RegExp(`^/groups/${ID}/?$`), scope: 'read' },
  { method: 'GET', path: /^\/overview\/?$/, scope: 'read' },
];

/** The scope a request under /v1 needs (HEAD as GET). */
export function scopeFor(method: string, path: string): Scope {
  const m = method === 'HEAD' ? 'GET' : method;
  return ROUTE_SCOPES.find((r) => r.method === m && r.path.test(path))?.scope ?? 'admin';
}

/** Whether a key with `held` scopes may do what needs `needed`: admin may do everything. */
export const allows = (held: readonly Scope[], needed: Scope) => held.includes('admin') || held.includes(needed);
