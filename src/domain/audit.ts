// What an audit entry says changed: the fields whose values differ between two views of a thing,
// each as {from, to}. Both views are the masked ones the API shows, so no secret is ever recorded.

/** What an audit entry can be about. */
export const AUDIT_TARGETS = ['destination', 'rule', 'escalation_policy', 'alert', 'silence', 'inhibit_rule', 'heartbeat', 'tenant'] as const;

export type Changes = Record<string, { from?: unknown; to?: unknown }>;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The changed fields of `before` → `after`, nested objects compared key by key under dotted paths
 * (`config.url`); arrays and values are compared whole. `undefined` for either side: created or deleted.
 */
export function changesBetween(before: Record<string, unknown> | undefined, after: Record<string, unknown> | undefined, ignore: readonly string[] = []): Changes {
  const changes: Changes = {};
  const walk = (a: unknown, b: unknown, path: string) => {
    if (isRecord(a) && isRecord(b)) {
      for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) walk(a[key], b[key], path ? `${path}.${key}` : key);
      return;
    }
    if (JSON.stringify(a) === JSON.stringify(b)) return;
    changes[path] = { ...(a !== undefined && { from: a }), ...(b !== undefined && { to: b }) };
  };
  const strip = (v: Record<string, unknown> | undefined) => (v ? Object.fromEntries(Object.entries(v).filter(([k]) => !ignore.includes(k))) : undefined);
  walk(strip(before) ?? {}, strip(after) ?? {}, '');
  return changes;
}
