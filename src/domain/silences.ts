// Silences (README "Silences"): matchers over labels and Herald fields with Alertmanager's four
// operators, an asset glob, and a time range. An alert a silence matches when it triggers is held:
// nothing of it goes out until the silence ends, and then only if it still fires. Pure and free of
// Node imports: routing matches with it, the API validates with it.
import { z } from 'zod';
import type { Alert } from './alert';
import { nonBlank } from './non-blank';
import { groupFieldValue } from './grouping';
import { globMatches } from './routing';
import { instantSchema } from './timestamps';

export const MATCH_OPERATORS = ['=', '!=', '=~', '!~'] as const;

/** Regular expressions are anchored as Alertmanager's are (the whole value must match) and kept short. */
const MAX_PATTERN = 200;

export const matcherSchema = z
  .strictObject({
    name: z.string().min(1).max(200).describe('A label name, or a Herald field: severity, event.type, event.asset.qualified_name, rule_name, alert_type (labels.x names a label x)'),
    op: z.enum(MATCH_OPERATORS).default('='),
    value: z.string().max(1000),
  })
  .refine((m) => !m.op.includes('~') || (m.value.length <= MAX_PATTERN && compiles(m.value)), {
    message: `must be a regular expression of at most ${MAX_PATTERN} characters`,
    path: ['value'],
  });
export type Matcher = z.infer<typeof matcherSchema>;

export const silenceInputSchema = z
  .strictObject({
    matchers: z.array(matcherSchema).max(50).default([]),
    asset: z.string().min(1).max(1000).optional().describe('Glob over the asset qualified name: * any run of characters, ? one character'),
    starts_at: instantSchema.optional().describe('Default: now'),
    ends_at: instantSchema,
    created_by: nonBlank(200),
    comment: z.string().max(2000).default(''),
    expire_on_resolve: z.boolean().default(false).describe('Expire the silence once every alert it held has resolved'),
  })
  .refine((s) => s.matchers.length > 0 || s.asset !== undefined, { message: 'a silence needs at least one matcher or an asset glob', path: ['matchers'] });
export type SilenceInput = z.infer<typeof silenceInputSchema>;

export type Silence = Omit<SilenceInput, 'starts_at'> & {
  id: string;
  starts_at: string;
  created_at: string;
  /** Set when the silence was expired before its end (DELETE, or expire_on_resolve). */
  expired_at?: string;
};

export type SilenceState = 'pending' | 'active' | 'expired';

/** When the silence stops holding alerts: its end, or the moment it was expired. */
export function silenceEnd(silence: Pick<Silence, 'ends_at' | 'expired_at'>): string {
  return silence.expired_at !== undefined && silence.expired_at < silence.ends_at ? silence.expired_at : silence.ends_at;
}

export function silenceState(silence: Pick<Silence, 'starts_at' | 'ends_at' | 'expired_at'>, now: Date): SilenceState {
  const at = now.toISOString();
  if (silenceEnd(silence) <= at) return 'expired';
  return silence.starts_at > at ? 'pending' : 'active';
}

function compiles(pattern: string): boolean {
  try {
    new RegExp(`^(?:${pattern})$`);
    return true;
  } catch {
    return false;
  }
}

export function matcherMatches(matcher: Matcher, alert: Pick<Alert, 'severity' | 'labels' | 'event' | 'rule_name' | 'alert_type' | 'title'>): boolean {
  const value = groupFieldValue(alert, matcher.name);
  switch (matcher.op) {
    case '=':
      return value === matcher.value;
    case '!=':
      return value !== matcher.value;
    case '=~':
      return new RegExp(`^(?:${matcher.value})$`).test(value);
    case '!~':
      return !new RegExp(`^(?:${matcher.value})$`).test(value);
  }
}

/** Every matcher matches, and the asset glob when there is one. */
export function silenceMatches(silence: Pick<Silence, 'matchers' | 'asset'>, alert: Pick<Alert, 'severity' | 'labels' | 'event' | 'rule_name' | 'alert_type' | 'title'>): boolean {
  if (silence.asset !== undefined) {
    const asset = alert.event.asset?.qualified_name;
    if (asset === undefined || !globMatches(silence.asset, asset)) return false;
  }
  return silence.matchers.every((m) => matcherMatches(m, alert));
}
