// How Herald serves the built console: the page and its hashed assets with a strict CSP, and a clear
// answer instead of a blank page when the console was never built.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import express from 'express';
import { consoleRouter } from '../../src/api/console';

async function serve(dir: string): Promise<{ url: string; server: Server }> {
  const app = express();
  app.use('/console', consoleRouter(dir));
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

describe('the /console route', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'console-serving-'));
  let built: { url: string; server: Server };
  let missing: { url: string; server: Server };

  beforeAll(async () => {
    mkdirSync(path.join(dir, 'assets'));
    writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>Herald console</title>');
    writeFileSync(path.join(dir, 'assets', 'index-abc123.js'), 'console.log(1)');
    built = await serve(dir);
    missing = await serve(path.join(dir, 'not-built'));
  });
  afterAll(() => {
    built.server.close();
    missing.server.close();
  });

  it('serves the page with a same-origin-only CSP and no caching, and the hashed assets for good', async () => {
    for (const url of [`${built.url}/console`, `${built.url}/console/`]) {
      const page = await fetch(url);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('Herald console');
      expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
      expect(page.headers.get('cache-control')).toBe('no-cache');
    }
    const asset = await fetch(`${built.url}/console/assets/index-abc123.js`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toContain('immutable');
    expect((await fetch(`${built.url}/console/assets/nope.js`)).status).toBe(404);
  });

  it('answers 503 saying to run `npm run build` when the console was not built', async () => {
    const res = await fetch(`${missing.url}/console/`);
    expect(res.status).toBe(503);
    expect(await res.text()).toContain('run `npm run build`');
  });
});
