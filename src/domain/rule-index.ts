// The enabled routing rules, indexed so that routing an alert looks only at the rules that could
// match it instead of every rule (README "Performance": routing time per alert stays flat as rules
// grow). Pure: built once per rule-set revision by the store (src/store/rules.ts).
import { ruleMatches, type RuleMatch, type Subject } from './routing';

/**
 * A rule is filed under one key that every alert it matches must have: one of its labels
 * (`label key=value`), else each of its event types, else each of its severities; a rule with none
 * of these (an asset glob alone, or no condition) is a candidate for every alert.
 */
function keysOf(match: RuleMatch): string[] {
  const label = Object.entries(match.labels ?? {})[0];
  if (label) return [labelKey(label[0], label[1])];
  if (match.event_types?.length) return match.event_types.map(typeKey);
  if (match.severities?.length) return match.severities.map(severityKey);
  return [];
}

const labelKey = (name: string, value: string) => `l\u0000${name}\u0000${value}`;
const typeKey = (type: string) => `t\u0000${type}`;
const severityKey = (severity: string) => `s\u0000${severity}`;

export class RuleIndex<R extends { match: RuleMatch }> {
  /** Positions in `rules` by key; `everywhere` holds the rules without a key. */
  private readonly byKey = new Map<string, number[]>();
  private readonly everywhere: number[] = [];

  /** `rules` in the order routing takes them (the first matching rule with a policy wins). */
  constructor(private readonly rules: readonly R[]) {
    rules.forEach((rule, position) => {
      const keys = keysOf(rule.match);
      if (keys.length === 0) this.everywhere.push(position);
      for (const key of new Set(keys)) {
        const list = this.byKey.get(key);
        if (list) list.push(position);
        else this.byKey.set(key, [position]);
      }
    });
  }

  get size(): number {
    return this.rules.length;
  }

  /** The rules that match the alert, in their order; the same answer as testing every rule. */
  matching(subject: Subject): R[] {
    const positions = [...this.everywhere];
    const add = (key: string) => {
      const found = this.byKey.get(key);
      if (found) positions.push(...found);
    };
    add(typeKey(subject.event.type));
    add(severityKey(subject.severity));
    for (const [name, value] of Object.entries(subject.labels)) add(labelKey(name, value));
    // A rule is filed under one key per event type or severity, so it turns up at most once here.
    return positions
      .sort((a, b) => a - b)
      .map((p) => this.rules[p]!)
      .filter((rule) => ruleMatches(rule.match, subject));
  }
}
