// Inhibition (src/domain/inhibition.ts): a source alert inhibits a target alert under a rule when
// each matches its side and they share the `equal` values; an alert never inhibits itself.
import { inhibitRuleInputSchema, inhibits } from '../../src/domain/inhibition';

const rule = inhibitRuleInputSchema.parse({
  name: 'cluster down silences its nodes',
  source_matchers: [{ name: 'alertname', value: 'ClusterDown' }],
  target_matchers: [{ name: 'severity', op: '!=', value: 'critical' }],
  equal: ['cluster'],
});
const alert = (id: string, labels: Record<string, string>, severity: 'critical' | 'warning' = 'warning') => ({ id, title: id, severity, labels, event: { type: 'prometheus_alert' } });

test.each([
  ['same cluster', alert('s', { alertname: 'ClusterDown', cluster: 'eu' }, 'critical'), alert('t', { alertname: 'NodeDown', cluster: 'eu' }), true],
  ['another cluster', alert('s', { alertname: 'ClusterDown', cluster: 'eu' }, 'critical'), alert('t', { alertname: 'NodeDown', cluster: 'us' }), false],
  ['a target that is critical', alert('s', { alertname: 'ClusterDown', cluster: 'eu' }, 'critical'), alert('t', { alertname: 'NodeDown', cluster: 'eu' }, 'critical'), false],
  ['a source of another name', alert('s', { alertname: 'NodeDown', cluster: 'eu' }, 'critical'), alert('t', { alertname: 'NodeDown', cluster: 'eu' }), false],
  ['both without the equal label', alert('s', { alertname: 'ClusterDown' }, 'critical'), alert('t', { alertname: 'NodeDown' }), true],
  ['itself', alert('x', { alertname: 'ClusterDown', cluster: 'eu' }), alert('x', { alertname: 'ClusterDown', cluster: 'eu' }), false],
])('%s', (_case, source, target, expected) => {
  expect(inhibits(rule, source, target)).toBe(expected);
});

test('a rule needs matchers on both sides', () => {
  const bad = inhibitRuleInputSchema.safeParse({ name: 'x', source_matchers: [], target_matchers: [{ name: 'a', value: 'b' }] });
  expect(bad.success).toBe(false);
  expect(bad.error!.issues[0]!.path).toEqual(['source_matchers']);
});
