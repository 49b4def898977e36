// Checks an API answer against /openapi.json: its status must be documented for the operation, its
// media type must be the documented one, and its body must be valid against the documented schema
// (OpenAPI 3.1 schemas are JSON Schema 2020-12: ajv's 2020 build). The description leaves objects
// open, so that clients ignore fields they do not know yet; Herald's own answers must still name
// every field they carry, so each object schema that does not say otherwise is closed here.
import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';

export type Answer = { method: string; path: string; status: number; contentType: string | null; body: string };

type Media = { schema?: unknown };
type Response = { content?: Record<string, Media> };
type Operation = { responses: Record<string, Response> };
export type OpenApiDocument = { paths: Record<string, Record<string, Operation>>; components: Record<string, unknown> };

const METHODS = ['get', 'put', 'post', 'delete', 'patch'];

/** A copy of the schema in which every object schema with properties and no additionalProperties has `additionalProperties: false`. */
function closed(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(closed);
  if (!schema || typeof schema !== 'object') return schema;
  const copy = Object.fromEntries(Object.entries(schema).map(([key, value]) => [key, closed(value)]));
  if ('properties' in copy && !('additionalProperties' in copy) && !('unevaluatedProperties' in copy)) copy.additionalProperties = false;
  return copy;
}

export class AnswerChecker {
  private readonly ajv = new Ajv2020({ strict: false, allErrors: true });
  private readonly validators = new Map<string, ValidateFunction>();
  private readonly components: unknown;

  constructor(private readonly document: OpenApiDocument) {
    addFormats(this.ajv);
    this.components = closed(document.components);
  }

  /** Every documented operation, as `METHOD /path/{template}`. */
  operations(): string[] {
    return Object.entries(this.document.paths).flatMap(([path, item]) => Object.keys(item).filter((m) => METHODS.includes(m)).map((m) => `${m.toUpperCase()} ${path}`));
  }

  /** What is wrong with the answer by the description; empty when nothing is. */
  problems(answer: Answer): string[] {
    const where = `${answer.method} ${answer.path} → ${answer.status}`;
    const operation = this.document.paths[answer.path]?.[answer.method.toLowerCase()];
    if (!operation) return [`${where}: no such operation is documented`];
    const response = operation.responses[String(answer.status)];
    if (!response) return [`${where}: the status is not documented (documented: ${Object.keys(operation.responses).join(', ')})`];
    const documented = Object.keys(response.content ?? {});
    if (documented.length === 0) return answer.body === '' ? [] : [`${where}: documented without a body, answered ${answer.body.slice(0, 200)}`];
    const media = answer.contentType?.split(';')[0]!.trim().toLowerCase();
    if (!media || !documented.includes(media)) return [`${where}: answered ${answer.contentType ?? 'no content type'}, documented ${documented.join(', ')}`];
    let body: unknown = answer.body;
    if (media === 'application/json') {
      try {
        body = JSON.parse(answer.body);
      } catch {
        return [`${where}: the body is not JSON: ${answer.body.slice(0, 200)}`];
      }
    }
    const validate = this.validator(answer.path, answer.method.toLowerCase(), String(answer.status), media, response.content![media]!.schema);
    if (validate(body)) return [];
    return (validate.errors ?? []).map((e) => `${where}: ${e.instancePath || '(body)'} ${e.message}${e.params && Object.keys(e.params).length > 0 ? ` ${JSON.stringify(e.params)}` : ''}`);
  }

  private validator(path: string, method: string, status: string, media: string, schema: unknown): ValidateFunction {
    const key = `${method} ${path} ${status} ${media}`;
    let validate = this.validators.get(key);
    if (!validate) {
      // The schema's references are to #/components/…: compiled with the components beside it.
      validate = this.ajv.compile({ ...(closed(schema ?? {}) as object), components: this.components });
      this.validators.set(key, validate);
    }
    return validate;
  }
}
