// The methods each documented path serves, read off the OpenAPI description so the answers and the
// contract cannot drift apart: OPTIONS answers them in Allow, and any other method a path does not
// serve gets 405 with Allow (TRACE /healthz, PUT /v1/rules…).
import type { RequestHandler } from 'express';
import { HttpError } from './errors';

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

function documentedRoutes(paths: Record<string, Record<string, unknown>>) {
  // Literal paths first: /v1/destinations/test is itself, not /v1/destinations/{id}.
  const templated = (template: string) => (template.match(/\{/g) ?? []).length;
  return Object.entries(paths).sort(([a], [b]) => templated(a) - templated(b)).map(([template, item]) => {
    const methods = Object.keys(item).filter((k) => METHODS.includes(k)).map((m) => m.toUpperCase());
    if (methods.includes('GET') && !methods.includes('HEAD')) methods.push('HEAD'); // express serves HEAD for every GET
    const pattern = new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+')}/?$`);
    return { pattern, methods };
  });
}

/** OPTIONS on a documented path: 204 with the methods it serves. */
export function documentedOptions(paths: Record<string, Record<string, unknown>>): RequestHandler {
  const routes = documentedRoutes(paths);
  return (req, res, next) => {
    if (req.method !== 'OPTIONS') return next();
    const route = routes.find((r) => r.pattern.test(req.path));
    if (!route) return next();
    res.set('Allow', [...route.methods, 'OPTIONS'].join(', ')).status(204).end();
  };
}

export function methodNotAllowed(paths: Record<string, Record<string, unknown>>): RequestHandler {
  const routes = documentedRoutes(paths);
  return (req, res, next) => {
    const route = routes.find((r) => r.pattern.test(req.path));
    if (!route || route.methods.includes(req.method)) return next();
    res.set('Allow', route.methods.join(', '));
    next(new HttpError(405, 'method_not_allowed', `${req.method} is not served on ${req.path}; allowed: ${route.methods.join(', ')}`, { allow: route.methods }));
  };
}
