// Response validators (Apono's "Json Path + Expected Values"): each names a JSONPath into the
// response body and the values that count as success; an attempt whose response fails one fails.
import { dequal } from 'dequal';
import { JSONPath } from 'jsonpath-plus';

export type ResponseValidator = { path: string; expected: unknown[] };
export type ValidatorResult = { path: string; expected: unknown[]; actual: unknown[]; passed: boolean; error?: string };

function query(path: string, json: unknown): unknown[] {
  // eval: false — filter scripts are refused; a validator is data, never code.
  return JSONPath({ path, json: json as object, eval: false, wrap: true }) as unknown[];
}

/** Why this JSONPath cannot be used, or undefined. */
export function jsonPathProblem(path: string): string | undefined {
  if (!path.startsWith('$')) return 'must be a JSONPath starting with "$", e.g. $.data.ok';
  try {
    query(path, {});
    return undefined;
  } catch (err) {
    return `is not a usable JSONPath (${(err as Error).message})`;
  }
}

export function runValidators(validators: readonly ResponseValidator[], body: string): ValidatorResult[] {
  if (validators.length === 0) return [];
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return validators.map((v) => ({ ...v, actual: [], passed: false, error: 'response body is not JSON' }));
  }
  return validators.map((v) => {
    const actual = query(v.path, json);
    // Compared structurally: an object matches whatever order its keys were written in (arrays keep their order).
    return { ...v, actual, passed: actual.some((value) => v.expected.some((e) => dequal(value, e))) };
  });
}
