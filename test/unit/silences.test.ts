// Silence matching (src/domain/silences.ts): Alertmanager's four operators over labels and Herald
// fields, anchored regular expressions, the asset glob, and a silence's state over time.
import { matcherSchema, silenceInputSchema, silenceMatches, silenceState, type Matcher } from '../../src/domain/silences';

const alert = {
  title: 'Disk full',
  severity: 'critical' as const,
  labels: { alertname: 'DiskFull', instance: 'db1:9100', env: 'prod' },
  event: { type: 'prometheus_alert', asset: { qualified_name: 'prod.db1' } },
};
const m = (name: string, op: Matcher['op'], value: string): Matcher => ({ name, op, value });

test.each([
  [m('alertname', '=', 'DiskFull'), true],
  [m('alertname', '=', 'diskfull'), false],
  [m('alertname', '!=', 'HighCPU'), true],
  [m('alertname', '!=', 'DiskFull'), false],
  [m('instance', '=~', 'db[0-9]+:9100'), true],
  [m('instance', '=~', 'db'), false], // anchored: the whole value must match
  [m('instance', '!~', 'api.*'), true],
  [m('instance', '!~', 'db.*'), false],
  [m('missing', '=', ''), true], // an absent label is the empty string, as in Alertmanager
  [m('severity', '=', 'critical'), true],
  [m('event.type', '=~', 'prometheus_.*'), true],
  [m('labels.env', '=', 'prod'), true],
])('matcher %j matches: %s', (matcher, expected) => {
  expect(silenceMatches({ matchers: [matcher] }, alert)).toBe(expected);
});

test('every matcher and the asset glob must match', () => {
  expect(silenceMatches({ matchers: [m('env', '=', 'prod'), m('severity', '=', 'critical')], asset: 'prod.*' }, alert)).toBe(true);
  expect(silenceMatches({ matchers: [m('env', '=', 'prod')], asset: 'staging.*' }, alert)).toBe(false);
  expect(silenceMatches({ matchers: [], asset: 'prod.db?' }, alert)).toBe(true);
  expect(silenceMatches({ matchers: [], asset: 'prod.*' }, { ...alert, event: { type: 'x' } })).toBe(false);
});

test('a silence is pending before its start, active until its end or expiry, then expired', () => {
  const s = { starts_at: '2026-12-01T10:00:00.000Z', ends_at: '2026-12-01T12:00:00.000Z' };
  expect(silenceState(s, new Date('2026-12-01T09:59:59Z'))).toBe('pending');
  expect(silenceState(s, new Date('2026-12-01T10:00:00Z'))).toBe('active');
  expect(silenceState(s, new Date('2026-12-01T12:00:00Z'))).toBe('expired');
  expect(silenceState({ ...s, expired_at: '2026-12-01T11:00:00.000Z' }, new Date('2026-12-01T11:00:01Z'))).toBe('expired');
});

test('bad silences are refused with the field named', () => {
  const bad = matcherSchema.safeParse({ name: 'instance', op: '=~', value: '(' });
  expect(bad.success).toBe(false);
  expect(bad.error!.issues[0]!.path).toEqual(['value']);
  const empty = silenceInputSchema.safeParse({ ends_at: '2026-12-01T12:00:00Z', created_by: 'me' });
  expect(empty.success).toBe(false);
  expect(empty.error!.issues[0]!.path).toEqual(['matchers']);
  expect(silenceInputSchema.parse({ matchers: [{ name: 'env', value: 'prod' }], ends_at: '2026-12-01T12:00:00Z', created_by: 'me' }).matchers[0]!.op).toBe('=');
});
