// Making Herald's search attributes exist on a Temporal server, from the processes that start or
// serve it (never from workflow code, which only needs the keys).
import { HERALD_SEARCH_ATTRIBUTES } from './search-attributes';

/** `--search-attribute` flags for `temporal server start-dev`. */
export function devServerSearchAttributeFlags(): string[] {
  const cliType: Record<string, string> = { KEYWORD: 'Keyword', KEYWORD_LIST: 'KeywordList' };
  return HERALD_SEARCH_ATTRIBUTES.flatMap((key) => ['--search-attribute', `${key.name}=${cliType[key.type]}`]);
}

// IndexedValueType numbers of the Temporal API (temporal.api.enums.v1.IndexedValueType).
const INDEXED_VALUE_TYPE = { KEYWORD: 2, KEYWORD_LIST: 7 } as const;

type OperatorService = {
  listSearchAttributes(req: { namespace: string }): Promise<{ customAttributes?: Record<string, unknown> | null }>;
  addSearchAttributes(req: { namespace: string; searchAttributes: Record<string, number> }): Promise<unknown>;
};

/**
 * Registers those of Herald's search attributes the namespace lacks; safe to repeat and to run from
 * several processes at once. Without them every alert workflow task would fail with BadSearchAttributes.
 */
export async function ensureSearchAttributes(operatorService: OperatorService, namespace: string): Promise<string[]> {
  let existing: Record<string, unknown> = {};
  try {
    existing = (await operatorService.listSearchAttributes({ namespace })).customAttributes ?? {};
  } catch (err) {
    // UNIMPLEMENTED (12): the time-skipping test server cannot list them, only add.
    if ((err as { code?: number }).code !== 12) throw err;
  }
  const missing = HERALD_SEARCH_ATTRIBUTES.filter((key) => !(key.name in existing));
  if (missing.length === 0) return [];
  const searchAttributes = Object.fromEntries(
    missing.map((key) => [key.name, INDEXED_VALUE_TYPE[key.type as keyof typeof INDEXED_VALUE_TYPE]]),
  );
  try {
    await operatorService.addSearchAttributes({ namespace, searchAttributes });
  } catch (err) {
    // ALREADY_EXISTS (6): another process registered them between our two calls.
    if ((err as { code?: number }).code !== 6) throw err;
  }
  return missing.map((key) => key.name);
}
