// /openapi.json is a valid OpenAPI 3.0 document (checked by a validator library) describing every
// route the app serves; /docs renders it without any external resource.
import OpenAPISchemaValidator from 'openapi-schema-validator';
import type { Express } from 'express';
import pino from 'pino';
import { createApp } from '../../src/api/app';
import { startHerald, testConfig, type TestHerald } from '../support/herald';

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

test('the document is valid OpenAPI 3.0 and the docs page needs nothing from the internet', async () => {
  const res = await fetch(`${herald.url}/openapi.json`);
  expect(res.status).toBe(200);
  const document = (await res.json()) as { paths: Record<string, Record<string, unknown>>; components: { schemas: Record<string, any> } };
  const { errors } = new OpenAPISchemaValidator({ version: 3 }).validate(document as never);
  expect(errors).toEqual([]);
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
