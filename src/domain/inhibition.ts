// Inhibition rules (README "Inhibition"), Alertmanager's: while an alert matching the source
// matchers fires, alerts matching the target matchers that have the same values for the `equal`
// labels are held. Pure and free of Node imports.
import { z } from 'zod';
import type { Alert } from './alert';
import { groupFieldValue } from './grouping';
import { nonBlank } from './non-blank';
import { matcherSchema, silenceMatches } from './silences';

export const inhibitRuleInputSchema = z.strictObject({
  name: nonBlank(200),
  source_matchers: z.array(matcherSchema).min(1).max(50).describe('An open alert matching all of these inhibits'),
  target_matchers: z.array(matcherSchema).min(1).max(50).describe('the alerts matching all of these'),
  equal: z.array(z.string().min(1).max(200)).max(20).default([]).describe('Labels (or Herald fields) whose values source and target must share'),
});
export type InhibitRuleInput = z.infer<typeof inhibitRuleInputSchema>;
export type InhibitRule = InhibitRuleInput & { id: string; created_at: string };

type Subject = Pick<Alert, 'severity' | 'labels' | 'event' | 'rule_name' | 'alert_type' | 'title'>;

export const isTarget = (rule: Pick<InhibitRule, 'target_matchers'>, alert: Subject) => silenceMatches({ matchers: rule.target_matchers }, alert);

/** Whether `source`, an open alert, inhibits `target` under this rule (an alert never inhibits itself). */
export function inhibits(rule: Pick<InhibitRule, 'source_matchers' | 'target_matchers' | 'equal'>, source: Subject & { id: string }, target: Subject & { id: string }): boolean {
  if (source.id === target.id) return false;
  if (!silenceMatches({ matchers: rule.source_matchers }, source) || !isTarget(rule, target)) return false;
  return rule.equal.every((field) => groupFieldValue(source, field) === groupFieldValue(target, field));
}
