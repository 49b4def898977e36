// 405 with Allow for a method a documented path does not serve (TRACE /healthz, PUT /v1/rules…),
// read off the OpenAPI description, so the answer and the contract cannot drift apart.
import type { RequestHandler } from 'express';
import { HttpError } from './errors';

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

export function methodNotAllowed(paths: Record<string, Record<string, unknown>>): RequestHandler {
  const routes = Object.entries(paths).map(([template, item]) => {
    const methods = Object.keys(item).filter((k) => METHODS.includes(k)).map((m) => m.toUpperCase());
    if (methods.includes('GET') && !methods.includes('HEAD')) methods.push('HEAD'); // express serves HEAD for every GET
    const pattern = new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+')}/?$`);
    return { pattern, methods };
  });
  return (req, res, next) => {
    const route = routes.find((r) => r.pattern.test(req.path));
    if (!route || route.methods.includes(req.method)) return next();
    res.set('Allow', route.methods.join(', '));
    next(new HttpError(405, 'method_not_allowed', `${req.method} is not served on ${req.path}; allowed: ${route.methods.join(', ')}`, { allow: route.methods }));
  };
}
