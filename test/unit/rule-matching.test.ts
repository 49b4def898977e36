import { filterAllows, globMatches, ruleMatches } from '../../src/domain/routing';

const alert = {
  severity: 'critical' as const,
  labels: { env: 'production', team: 'data' },
  event: { type: 'schema_change', asset: { qualified_name: 'production.public.orders' } },
};

test('globs: * any run, ? one character, everything else literal', () => {
  expect(globMatches('production.*', 'production.public.orders')).toBe(true);
  expect(globMatches('production.*.orders', 'production.public.orders')).toBe(true);
  expect(globMatches('prod?ction.*', 'production.x')).toBe(true);
  expect(globMatches('production.*', 'productionXpublic')).toBe(false); // the dot is literal
  expect(globMatches('staging.*', 'production.public.orders')).toBe(false);
  expect(globMatches('(a|b)+', 'aaa')).toBe(false); // regex syntax is literal
  expect(globMatches('(a|b)+', '(a|b)+')).toBe(true);
});

test('a rule matches when every condition it sets holds; empty conditions match all', () => {
  expect(ruleMatches({}, alert)).toBe(true);
  expect(ruleMatches({ event_types: ['schema_change'], severities: ['critical', 'error'], asset: 'production.*', labels: { env: 'production' } }, alert)).toBe(true);
  expect(ruleMatches({ event_types: [] }, alert)).toBe(true);
  expect(ruleMatches({ event_types: ['freshness_violation'] }, alert)).toBe(false);
  expect(ruleMatches({ severities: ['warning'] }, alert)).toBe(false);
  expect(ruleMatches({ asset: 'staging.*' }, alert)).toBe(false);
  expect(ruleMatches({ labels: { env: 'production', team: 'web' } }, alert)).toBe(false);
  expect(ruleMatches({ asset: '*' }, { ...alert, event: { type: 'x' } })).toBe(false); // no asset, no match
});

test('filters choose events by action, event type, severity and labels', () => {
  expect(filterAllows(undefined, alert, 'alert.triggered')).toBe(true);
  expect(filterAllows({}, alert, 'alert.resolved')).toBe(true);
  expect(filterAllows({ actions: ['resolved'] }, alert, 'alert.triggered')).toBe(false);
  expect(filterAllows({ actions: ['resolved'] }, alert, 'alert.resolved')).toBe(true);
  expect(filterAllows({ actions: ['dismissed'] }, alert, 'alert.dismissed')).toBe(true);
  expect(filterAllows({ event_types: ['freshness_violation'] }, alert, 'alert.triggered')).toBe(false);
  expect(filterAllows({ severities: ['info'] }, alert, 'alert.triggered')).toBe(false);
  expect(filterAllows({ labels: { team: 'data' } }, alert, 'alert.triggered')).toBe(true);
  expect(filterAllows({ labels: { team: 'web' } }, alert, 'alert.triggered')).toBe(false);
});
