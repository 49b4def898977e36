// Request validation against a vendor's official OpenAPI description (test/contracts/), with a
// maintained validator (openapi-backend) rather than hand-written checks.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import addFormats from 'ajv-formats';
import Ajv from 'ajv';
import OpenAPIBackend from 'openapi-backend';

// The official descriptions are committed in test/contracts/ (see its README), unless told otherwise.
const CONTRACTS = process.env.HERALD_CONTRACTS_DIR ?? path.join(__dirname, '..', '..', 'contracts');

export type Contract = {
  /** Why the request breaks the contract, or an empty list. */
  problems(req: { method: string; path: string; body: unknown; headers: Record<string, string | string[] | undefined> }): string[];
  /** Why `value` is not what the contract's component schema `name` describes (a webhook's embedded object), or an empty list. */
  schemaProblems(name: string, value: unknown): string[];
};

export async function loadContract(file: string): Promise<Contract> {
  const location = path.join(CONTRACTS, file);
  if (!existsSync(location)) throw new Error(`the official contract ${location} is missing: restore it from git (test/contracts/) or set HERALD_CONTRACTS_DIR`);
  const definition = JSON.parse(readFileSync(location, 'utf8'));
  const api = new OpenAPIBackend({
    definition,
    quick: false,
    validate: true,
    strict: false,
    ajvOpts: { allErrors: true },
    // The contracts use date-time and url formats: check them as the real services would.
    customizeAjv: (ajv) => {
      addFormats(ajv);
      return ajv;
    },
  });
  await api.init();
  const components = new Ajv({ allErrors: true, strict: false });
  addFormats(components);
  components.addSchema({ components: definition.components }, 'contract');
  return {
    schemaProblems(name, value) {
      const validate = components.getSchema(`contract#/components/schemas/${name}`);
      if (!validate) return [`no schema ${name} in ${file}`];
      return validate(value) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || '(value)'} ${e.message ?? ''}`.trim());
    },
    problems(req) {
      const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : (v ?? '')]));
      const operation = api.matchOperation({ method: req.method.toLowerCase(), path: req.path, headers, query: {}, body: req.body });
      if (!operation) return [`no operation ${req.method} ${req.path} in ${file}`];
      const result = api.validateRequest({ method: req.method.toLowerCase(), path: req.path, headers, query: {}, body: req.body }, operation);
      return result.valid ? [] : (result.errors ?? []).map((e) => `${e.instancePath || '(body)'} ${e.message ?? ''}`.trim());
    },
  };
}
