// Herald's typed search attributes: what an operator filters on in the Temporal UI. Workflow code
// imports this file, so it holds the keys only (registering them is search-attribute-registration.ts).
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

export const HeraldStatus = defineSearchAttributeKey('HeraldStatus', SearchAttributeType.KEYWORD);
export const HeraldEventType = defineSearchAttributeKey('HeraldEventType', SearchAttributeType.KEYWORD);
export const HeraldSeverity = defineSearchAttributeKey('HeraldSeverity', SearchAttributeType.KEYWORD);
export const HeraldAsset = defineSearchAttributeKey('HeraldAsset', SearchAttributeType.KEYWORD);
export const HeraldDestinations = defineSearchAttributeKey('HeraldDestinations', SearchAttributeType.KEYWORD_LIST);
export const HeraldDeliveryState = defineSearchAttributeKey('HeraldDeliveryState', SearchAttributeType.KEYWORD);
/** On an alert: the groups it joined; on a group's workflow: its key id and current episode. */
export const HeraldGroups = defineSearchAttributeKey('HeraldGroups', SearchAttributeType.KEYWORD_LIST);
/** The silence holding the alert now (README "Silences"); empty once it let the alert go. */
export const HeraldHeldBy = defineSearchAttributeKey('HeraldHeldBy', SearchAttributeType.KEYWORD_LIST);

/** The tenant the alert belongs to (README "Serving your customers"), `default` for single-tenant use. */
export const HeraldTenant = defineSearchAttributeKey('HeraldTenant', SearchAttributeType.KEYWORD);

export const HERALD_SEARCH_ATTRIBUTES = [
  HeraldStatus,
  HeraldEventType,
  HeraldSeverity,
  HeraldAsset,
  HeraldDestinations,
  HeraldDeliveryState,
  HeraldGroups,
  HeraldHeldBy,
  HeraldTenant,
];
