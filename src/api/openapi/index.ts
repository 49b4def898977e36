// GET /openapi.json: the API described from the same zod schemas that validate requests, so the
// document cannot drift from what the API accepts; answers are described by src/api/response-schemas.ts,
// and test/integration/openapi-answers.test.ts checks real answers against it. The zod → OpenAPI
// step is @asteasolutions/zod-to-openapi's: a registry of named schemas (components.ts) and one
// registered route per operation (paths/), generated as OpenAPI 3.1.
import { extendZodWithOpenApi, OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { VERSION } from '../../version';
import { registerComponents } from './components';
import { operations } from './operations';
import { alertPaths } from './paths/alerts';
import { destinationPaths } from './paths/destinations';
import { intakePaths } from './paths/intake';
import { routingPaths } from './paths/routing';
import { servicePaths } from './paths/service';
import { tenantPaths } from './paths/tenants';

export function openApiDocument() {
  extendZodWithOpenApi(z); // once per process: later calls change nothing
  const registry = new OpenAPIRegistry();
  registry.registerComponent('securitySchemes', 'apiKey', { type: 'http', scheme: 'bearer' });
  const components = registerComponents(registry);
  const define = operations(registry, components.Error);
  alertPaths(define, components);
  intakePaths(define, components);
  routingPaths(define, components);
  destinationPaths(define, components);
  tenantPaths(define, components);
  servicePaths(define, registry, components);
  const { webhooks: _none, ...document } = new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: { title: 'Herald', version: VERSION, description: 'Durable alert dispatcher on Temporal. Every /v1 route needs `Authorization: Bearer <key>`.' },
    security: [{ apiKey: [] }],
  });
  return document;
}
