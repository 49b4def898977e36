// The operator console (console/, built by `npm run build` into dist/console) served at /console. It is
// static: the page signs in with an API key and calls the public /v1 API like any other client.
import { existsSync } from 'node:fs';
import path from 'node:path';
import express, { Router } from 'express';

// Only the console's own files, its own origin's API, and nothing framed or inlined.
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'self'",
].join('; ');

/**
 * `dir` defaults to dist/console next to the compiled dist/api/. The tests run src/ directly, so they
 * build the console elsewhere and set HERALD_CONSOLE_DIR (config.consoleDir).
 */
export function consoleRouter(dir = path.resolve(__dirname, '..', 'console')): Router {
  const router = Router();
  router.use((_req, res, next) => {
    res.set({ 'Content-Security-Policy': CONTENT_SECURITY_POLICY, 'X-Content-Type-Options': 'nosniff', 'Referrer-Policy': 'no-referrer' });
    // Checked per request, so a console built while Herald runs is served without a restart.
    if (existsSync(path.join(dir, 'index.html'))) return next();
    res.status(503).type('text/plain').send(`The operator console is not built (no ${dir}/index.html): run \`npm run build\`, then reload.\n`);
  });
  // Built file names carry a content hash, so they may be cached for good; index.html never.
  router.use('/assets', express.static(path.join(dir, 'assets'), { immutable: true, maxAge: '1y', index: false }));
  router.use(express.static(dir, { index: 'index.html', setHeaders: (res) => res.set('Cache-Control', 'no-cache') }));
  return router;
}
