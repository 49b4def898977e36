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
