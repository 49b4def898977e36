// Which destinations an alert reaches (README "Routing rules and filters"). Pure and free of Node
// imports: the routing activity, the send path and the first workflow version's lanes use it.
import type { Alert } from './alert';
import type { EventType } from './events';

export type RuleMatch = {
  event_types?: string[];
  severities?: string[];
  /** Glob over the asset's qualified name: `*` any run of characters, `?` one character. */
  asset?: string;
  labels?: Record<string, string>;
};

export const ACTIONS = ['triggered', 'updated', 'acknowledged', 'unacknowledged', 'escalated', 'resolved', 'dismissed'] as const;
export type Action = (typeof ACTIONS)[number];

export type DestinationFilters = {
  event_types?: string[];
  actions?: Action[];
  severities?: string[];
  labels?: Record<string, string>;
};

/** An absent or empty list places no restriction; labels must all be present with equal values. */
function allows(list: readonly string[] | undefined, value: string): boolean {
  return !list || list.length === 0 || list.includes(value);
}

function labelsMatch(wanted: Record<string, string> | undefined, labels: Record<string, string>): boolean {
  return Object.entries(wanted ?? {}).every(([key, value]) => labels[key] === value);
}

/**
 * `*` matches any run of characters (also none), `?` exactly one character (a code point), anything
 * else itself. A two-pointer scan that backtracks only to the latest `*`: at most glob × text steps,
 * so no glob or asset name can stall the worker the way a backtracking regex (`*a*a*a*b`) would.
 */
export function globMatches(glob: string, text: string): boolean {
  const pattern = Array.from(glob);
  const chars = Array.from(text);
  let p = 0;
  let t = 0;
  let star = -1; // position in pattern of the latest `*`
  let starT = 0; // position in text that `*` was last extended to
  while (t < chars.length) {
    if (p < pattern.length && pattern[p] === '*') {
      star = p++;
      starT = t;
    } else if (p < pattern.length && (pattern[p] === '?' || pattern[p] === chars[t])) {
      p++;
      t++;
    } else if (star >= 0) {
      p = star + 1; // let the latest `*` take one more character and try again
      t = ++starT;
    } else {
      return false;
    }
  }
  while (p < pattern.length && pattern[p] === '*') p++;
  return p === pattern.length;
}

/**
 * What rules and filters look at: an alert, or the alert as an outbound event carries it (the
 * workflow filters each event by the alert as it was when that event was built).
 */
export type Subject = {
  severity: string;
  labels: Record<string, string>;
  event: Pick<Alert['event'], 'type' | 'asset'>;
};

export function ruleMatches(match: RuleMatch, alert: Subject): boolean {
  if (!allows(match.event_types, alert.event.type)) return false;
  if (!allows(match.severities, alert.severity)) return false;
  if (match.asset !== undefined) {
    const asset = alert.event.asset?.qualified_name;
    if (asset === undefined || !globMatches(match.asset, asset)) return false;
  }
  return labelsMatch(match.labels, alert.labels);
}

export function actionOf(eventType: EventType): Action | undefined {
  switch (eventType) {
    case 'alert.triggered':
    case 'group.triggered':
      return 'triggered';
    case 'alert.updated':
    case 'group.updated':
      return 'updated';
    case 'alert.acknowledged':
      return 'acknowledged';
    case 'alert.unacknowledged':
      return 'unacknowledged';
    case 'alert.escalated':
      return 'escalated';
    case 'alert.resolved':
    case 'alert.expired': // an expiry closes the alert as a resolve does
    case 'group.resolved':
      return 'resolved';
    case 'alert.dismissed':
      return 'dismissed';
    default:
      return undefined;
  }
}

/** Whether a destination with these filters wants this event of this alert. */
export function filterAllows(
  filters: DestinationFilters | undefined,
  alert: Subject,
  eventType: EventType,
): boolean {
  if (!filters) return true;
  const action = actionOf(eventType);
  if (action && !allows(filters.actions, action)) return false;
  if (!allows(filters.event_types, alert.event.type)) return false;
  if (!allows(filters.severities, alert.severity)) return false;
  return labelsMatch(filters.labels, alert.labels);
}
