// src/domain/rule-index.ts: the index gives exactly the rules that testing every rule gives, in the
// same order, for rules and alerts drawn at random from a small vocabulary (so they often match).
import { RuleIndex } from '../../src/domain/rule-index';
import { ruleMatches, type RuleMatch, type Subject } from '../../src/domain/routing';

/** A small deterministic generator (mulberry32), so a failure repeats with its seed. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TYPES = ['schema_change', 'freshness', 'volume'];
const SEVERITIES = ['critical', 'error', 'warning', 'info'];
const LABELS: Record<string, string[]> = { env: ['production', 'staging'], team: ['data', 'web', 'ops'], region: ['eu', 'us'] };

function someOf<T>(next: () => number, values: readonly T[], max: number): T[] {
  return values.filter(() => next() < max / values.length);
}

function randomMatch(next: () => number): RuleMatch {
  const match: RuleMatch = {};
  if (next() < 0.4) match.event_types = someOf(next, TYPES, 1.5);
  if (next() < 0.4) match.severities = someOf(next, SEVERITIES, 2);
  if (next() < 0.6) {
    match.labels = Object.fromEntries(someOf(next, Object.keys(LABELS), 1.5).map((k) => [k, LABELS[k]![Math.floor(next() * LABELS[k]!.length)]!]));
  }
  if (next() < 0.15) match.asset = next() < 0.5 ? 'production.*' : '*.orders';
  return match;
}

function randomAlert(next: () => number): Subject {
  const labels = Object.fromEntries(someOf(next, Object.keys(LABELS), 2.5).map((k) => [k, LABELS[k]![Math.floor(next() * LABELS[k]!.length)]!]));
  if (next() < 0.2) labels.extra = 'x';
  return {
    severity: SEVERITIES[Math.floor(next() * SEVERITIES.length)]!,
    labels,
    event: { type: TYPES[Math.floor(next() * TYPES.length)]!, ...(next() < 0.7 && { asset: { qualified_name: next() < 0.5 ? 'production.public.orders' : 'staging.x' } }) },
  };
}

test.each([1, 2, 3, 4, 5])('the index answers as a scan of every rule does (seed %i)', (seed) => {
  const next = random(seed);
  const rules = Array.from({ length: 300 }, (_, i) => ({ id: `r${i}`, match: randomMatch(next) }));
  const index = new RuleIndex(rules);
  let matched = 0;
  for (let i = 0; i < 500; i++) {
    const alert = randomAlert(next);
    const scanned = rules.filter((r) => ruleMatches(r.match, alert)).map((r) => r.id);
    expect(index.matching(alert).map((r) => r.id)).toEqual(scanned);
    matched += scanned.length;
  }
  // The draw is useful only if alerts do match rules, and not all of them.
  expect(matched).toBeGreaterThan(500);
  expect(matched).toBeLessThan(500 * 300 * 0.5);
});

test('rules keep their order, a rule listed under several keys comes once, and an empty match is everywhere', () => {
  const index = new RuleIndex<{ id: string; match: RuleMatch }>([
    { id: 'by-label', match: { labels: { team: 'data', env: 'production' } } },
    { id: 'any', match: {} },
    { id: 'types', match: { event_types: ['schema_change', 'freshness'] } },
    { id: 'severities', match: { severities: ['critical', 'error'], event_types: [] } },
    { id: 'asset', match: { asset: 'production.*' } },
    { id: 'other-team', match: { labels: { team: 'web' } } },
  ]);
  const alert: Subject = { severity: 'critical', labels: { env: 'production', team: 'data' }, event: { type: 'schema_change', asset: { qualified_name: 'production.public.orders' } } };
  expect(index.matching(alert).map((r) => r.id)).toEqual(['by-label', 'any', 'types', 'severities', 'asset']);
  expect(index.matching({ ...alert, labels: { team: 'web' }, event: { type: 'volume' } }).map((r) => r.id)).toEqual(['any', 'severities', 'other-team']);
  expect(index.size).toBe(6);
});
