// The operator console (console/, built by `npm run build` into dist/console) served at /console. It is
// static: the page signs in with an API key and calls the public /v1 API like any other client.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import express, { Router } from 'express';
import type { TenantKeyStore } from '../store/tenant-keys';
import type { TenantPortalStore } from '../store/tenant-portals';

/** Only the console's own files, its own origin's API, and nothing inlined; framed only by `frameAncestors`, images also from `images`. */
const policy = (frameAncestors = "'none'", images = '') =>
  [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    `img-src 'self' data:${images}`,
    "connect-src 'self'",
    `frame-ancestors ${frameAncestors}`,
    "base-uri 'none'",
    "form-action 'self'",
  ].join('; ');
const CONTENT_SECURITY_POLICY = policy();

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

/**
 * GET /portal/<link id> (README "A portal for each customer"): the console in portal mode for a valid,
 * unexpired portal link, framed only by its tenant's portal_origins; anything else is a plain page that
 * no site may frame. The link's secret stays in the URL's fragment, which never reaches this server: the
 * page reads it (console/src/portal.ts). The page learns its mode from a <meta> whose content is JSON
 * built from validated values (src/domain/tenants.ts) and HTML-escaped besides.
 */
export function portalRouter(deps: { keys: TenantKeyStore; portals: TenantPortalStore; dir?: string | undefined }): Router {
  const dir = deps.dir ?? path.resolve(__dirname, '..', 'console');
  const router = Router();
  router.get('/:link', async (req, res, next) => {
    try {
      res.set({ 'X-Content-Type-Options': 'nosniff', 'Referrer-Policy': 'no-referrer', 'Cache-Control': 'no-store' });
      const link = await deps.keys.portalLink(req.params.link);
      const index = path.join(dir, 'index.html');
      if (!link || !existsSync(index)) {
        res.set('Content-Security-Policy', "default-src 'none'; frame-ancestors 'none'");
        if (!link) return res.status(410).type('text/plain').send('This portal link has expired or is not valid. Ask for a new one.\n');
        return res.status(503).type('text/plain').send('The console is not built: run `npm run build`, then reload.\n');
      }
      const { portal_origins: origins, portal_theme: theme } = await deps.portals.get(link.tenant_id);
      const logo = theme?.logo_url ? ` ${new URL(theme.logo_url).origin}` : '';
      res.set('Content-Security-Policy', policy(origins.length > 0 ? origins.join(' ') : "'none'", logo));
      const mode = escapeHtml(JSON.stringify({ read_only: link.read_only, expires_at: link.expires_at, theme }));
      const html = readFileSync(index, 'utf8').replace('<head>', `<head>\n    <meta name="herald-portal" content="${mode}" />`);
      res.type('html').send(html);
    } catch (err) {
      next(err);
    }
  });
  return router;
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
