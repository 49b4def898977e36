// Herald's typed search attributes: what an operator filters on in the Temporal UI.
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

export const HeraldStatus = defineSearchAttributeKey('HeraldStatus', SearchAttributeType.KEYWORD);
export const HeraldEventType = defineSearchAttributeKey('HeraldEventType', SearchAttributeType.KEYWORD);
export const HeraldSeverity = defineSearchAttributeKey('HeraldSeverity', SearchAttributeType.KEYWORD);
export const HeraldAsset = defineSearchAttributeKey('HeraldAsset', SearchAttributeType.KEYWORD);
export const HeraldDestinations = defineSearchAttributeKey('HeraldDestinations', SearchAttributeType.KEYWORD_LIST);
export const HeraldDeliveryState = defineSearchAttributeKey('HeraldDeliveryState', SearchAttributeType.KEYWORD);

export const HERALD_SEARCH_ATTRIBUTES = [
  HeraldStatus,
  HeraldEventType,
  HeraldSeverity,
  HeraldAsset,
  HeraldDestinations,
  HeraldDeliveryState,
];

/** `--search-attribute` flags for `temporal server start-dev`. */
export function devServerSearchAttributeFlags(): string[] {
  const cliType: Record<string, string> = { KEYWORD: 'Keyword', KEYWORD_LIST: 'KeywordList' };
  return HERALD_SEARCH_ATTRIBUTES.flatMap((key) => ['--search-attribute', `${key.name}=${cliType[key.type]}`]);
}

// IndexedValueType numbers of the Temporal API (temporal.api.enums.v1.IndexedValueType).
const INDEXED_VALUE_TYPE = { KEYWORD: 2, KEYWORD_LIST: 7 } as const;

type OperatorService = {
  addSearchAttributes(req: { namespace: string; searchAttributes: Record<string, number> }): Promise<unknown>;
};

/** Registers Herald's search attributes on a namespace; safe to repeat. */
export async function registerSearchAttributes(operatorService: OperatorService, namespace: string): Promise<void> {
  const searchAttributes = Object.fromEntries(
    HERALD_SEARCH_ATTRIBUTES.map((key) => [key.name, INDEXED_VALUE_TYPE[key.type as keyof typeof INDEXED_VALUE_TYPE]]),
  );
  try {
    await operatorService.addSearchAttributes({ namespace, searchAttributes });
  } catch (err) {
    // The server answers ALREADY_EXISTS (6) when they are registered already.
    if ((err as { code?: number }).code !== 6) throw err;
  }
}
