// /openapi.json is a valid OpenAPI 3.1 document (checked by a validator library's own CLI) describing
// every route the app serves; /docs renders it without any external resource.
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Express } from 'express';
import pino from 'pino';
import { createApp } from '../../src/api/app';
import { startHerald, testConfig, type TestHerald } from '../support/herald';

/** What @seriousme/openapi-schema-validator (ESM only, so run as its CLI) says of a document. */
async function validateOpenApi(document: unknown): Promise<{ valid: boolean; errors?: unknown[] }> {
  const file = path.join(mkdtempSync(path.join(process.env.HERALD_TEST_SCRATCH ?? os.tmpdir(), 'oas-')), 'openapi.json');
  writeFileSync(file, JSON.stringify(document));
  const cli = require.resolve('@seriousme/openapi-schema-validator/bin/validate-api-cli.js');
  const { stdout } = await promisify(execFile)(process.execPath, [cli, file]).catch((err: { stdout: string }) => ({ stdout: err.stdout }));
  return JSON.parse(stdout);
}

let herald: TestHerald;
beforeAll(async () => {
  herald = await startHerald({ worker: false });
});
afterAll(() => herald.stop());

/** Every METHOD path the express app routes, with :params written as {params}. */
function routesOf(app: Express): string[] {
  const found: string[] = [];
  const walk = (stack: any[], prefix: string) => {
    for (const layer of stack) {
      if (layer.route) {
        for (const method of Object.keys(layer.route.methods)) found.push(`${method.toUpperCase()} ${prefix}${layer.route.path}`.replace(/\/$/, '').replace(/:(\w+)/g, '{$1}'));
      } else if (layer.handle?.stack) {
        walk(layer.handle.stack, prefix + (layer.slash || typeof layer.rawPath !== 'string' ? '' : layer.rawPath));
      }
    }
  };
  walk((app as any).router.stack, '');
  return found;
}

test('the document is valid OpenAPI 3.1 and the docs page needs nothing from the internet', async () => {
  const res = await fetch(`${herald.url}/openapi.json`);
  expect(res.status).toBe(200);
  const document = (await res.json()) as { paths: Record<string, Record<string, unknown>>; components: { schemas: Record<string, any> } };
  expect(await validateOpenApi(document)).toEqual({ valid: true });
  // The validator does refuse a broken document (a response without its description).
  const broken = structuredClone(document) as { paths: Record<string, Record<string, { responses: Record<string, { description?: string }> }>> };
  delete broken.paths['/healthz']!.get!.responses['200']!.description;
  expect(await validateOpenApi(broken)).toMatchObject({ valid: false });
  // Request schemas come from the validating zod schemas.
  expect(document.components.schemas.InboundAlert.required).toEqual(['title']);
  expect(document.components.schemas.InboundAlert.properties.severity.enum).toEqual(['critical', 'error', 'warning', 'info']);
  expect(JSON.stringify(document.components.schemas.DestinationInput)).toContain('oauth2_client_credentials');

  const docs = await fetch(`${herald.url}/docs`);
  const html = await docs.text();
  expect(html).toContain('/openapi.json');
  expect(html).not.toMatch(/https?:\/\//); // no CDN
  expect((await fetch(`${herald.url}/docs/assets/swagger-ui-bundle.js`)).status).toBe(200);
});

test('every route the app serves is in the document', async () => {
  const document = (await (await fetch(`${herald.url}/openapi.json`)).json()) as { paths: Record<string, Record<string, unknown>> };
  const documented = new Set(Object.entries(document.paths).flatMap(([p, ops]) => Object.keys(ops).filter((m) => m !== 'parameters').map((m) => `${m.toUpperCase()} ${p}`)));
  const app = createApp({
    config: { ...testConfig(), codecKeys: [] },
    db: undefined as never,
    registry: {} as never,
    workflows: {} as never,
    logger: pino({ level: 'silent' }),
  });
  const served = routesOf(app).filter((r) => !r.includes('/docs'));
  expect(served.length).toBeGreaterThan(20);
  expect(served.filter((r) => !documented.has(r))).toEqual([]);
});

test('constraints the validation enforces are in the document, and create answers link to what they made', async () => {
  const document = (await (await fetch(`${herald.url}/openapi.json`)).json()) as { paths: Record<string, any>; components: { schemas: Record<string, any> } };
  const { schemas } = document.components;
  // Record keys (OpenAPI 3.1's JSON Schema has propertyNames), counts that are refinements in zod,
  // blank names, and the cross-field rule of incident.io's severities.
  expect(schemas.RuleInput.properties.match.properties.labels.propertyNames).toEqual({ type: 'string', minLength: 1, maxLength: 200 });
  expect(schemas.InboundAlert.properties.labels.maxProperties).toBe(100);
  expect(schemas.InboundAlert.properties.title.pattern).toBe('\\S');
  expect(JSON.stringify(schemas.DestinationInput)).toContain('"not":{"required":["severity_id","severity_map"]}');
  // A client never sets the rotation's previous secret.
  expect(JSON.stringify(schemas.DestinationInput)).not.toContain('previous_signing_secret');
  expect(schemas.AlertmanagerPayload.properties.alerts.items.required).toEqual(expect.arrayContaining(['status', 'labels', 'startsAt', 'fingerprint']));

  const created = document.paths['/v1/destinations'].post.responses['201'].links;
  expect(created.GetSigningSecret).toEqual({ operationRef: '#/paths/~1v1~1destinations~1%7Bid%7D~1secret/get', parameters: { id: '$response.body#/id' } });
  expect(Object.keys(document.paths['/v1/rules'].post.responses['201'].links)).toEqual(['GetRule', 'PatchRule', 'DeleteRule']);
  expect(document.paths['/v1/alerts'].post.responses['202'].links.RedeliverAlert.parameters).toEqual({ id: '$response.body#/id', destination_id: '$request.body#/destinations/0' });
  expect(document.paths['/v1/destinations/{id}/secret'].get.responses['409'].description).toMatch(/no_signing_secret/);
});
