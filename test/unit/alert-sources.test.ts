import { alertFromEntry, alertIdOf, amEntrySchema, amPayloadSchema, endTimestampOf, severityOf } from '../../src/domain/sources/alertmanager';
import { inboundAlertSchema } from '../../src/domain/alert';

const grafana = {
  receiver: 'herald',
  status: 'firing',
  orgId: 1,
  alerts: [
    {
      status: 'firing',
      labels: { alertname: 'CPU high', grafana_folder: 'Infra', host: 'web-3', severity: 'Warning' },
      annotations: { summary: 'CPU above 90%' },
      startsAt: '2026-11-22T10:00:00Z',
      endsAt: '0001-01-01T00:00:00Z',
      generatorURL: 'https://grafana.example/alerting/grafana/abc/view',
      fingerprint: 'a1b2c3d4e5f60718',
      silenceURL: 'https://grafana.example/alerting/silence/new',
      dashboardURL: 'https://grafana.example/d/xyz',
      panelURL: 'https://grafana.example/d/xyz?viewPanel=2',
      valueString: '[ var=A value=93.2 ]',
    },
  ],
  groupLabels: { alertname: 'CPU high' },
  commonLabels: { alertname: 'CPU high' },
  commonAnnotations: {},
  externalURL: 'https://grafana.example/',
  version: '1',
  groupKey: '{}:{alertname="CPU high"}',
  title: '[FIRING:1] CPU high',
  state: 'alerting',
  message: '**Firing** CPU above 90%',
};

test('a Grafana contact point payload maps like Alertmanager, with its links and value', () => {
  const payload = amPayloadSchema.parse(grafana);
  const entry = amEntrySchema.parse(payload.alerts[0]);
  const alert = alertFromEntry(entry, payload, { source: 'grafana', assetLabel: 'host' });
  expect(alert).toMatchObject({
    id: `am-a1b2c3d4e5f60718-${Date.parse('2026-11-22T10:00:00Z') / 1000}`,
    title: 'CPU above 90%',
    description: '**Firing** CPU above 90%',
    severity: 'warning',
    rule_name: 'CPU high',
    alert_type: 'grafana',
    event: { type: 'prometheus_alert', asset: { qualified_name: 'web-3', asset_type: 'host' }, details: { value: '[ var=A value=93.2 ]', grafana_org_id: 1 } },
    links: { generator: 'https://grafana.example/alerting/grafana/abc/view', grafana: 'https://grafana.example/', dashboard: 'https://grafana.example/d/xyz', panel: 'https://grafana.example/d/xyz?viewPanel=2', silence: 'https://grafana.example/alerting/silence/new' },
  });
  expect(endTimestampOf(entry)).toBeUndefined(); // Grafana's zero time means "not ended"
});

test('one firing episode is one id: same fingerprint and start, same alert; a new start, a new alert', () => {
  const a = alertIdOf({ fingerprint: 'ABC123', startsAt: '2026-11-22T10:00:00Z' });
  expect(a).toBe(alertIdOf({ fingerprint: 'abc123', startsAt: '2026-11-22T10:00:00.000Z' }));
  expect(alertIdOf({ fingerprint: 'abc123', startsAt: '2026-11-22T11:00:00Z' })).not.toBe(a);
});

test('severity words map onto Herald severities; unknown is warning', () => {
  expect(['critical', 'PAGE', 'error', 'high', 'warning', 'minor', 'info', 'low', 'weird', undefined].map(severityOf)).toEqual([
    'critical', 'critical', 'error', 'error', 'warning', 'warning', 'info', 'info', 'warning', 'warning',
  ]);
});

test('title falls back to the alert name; asset to instance, then job; bad entries name their fields', () => {
  const payload = amPayloadSchema.parse({ status: 'firing', receiver: 'r', alerts: [{}] });
  const entry = amEntrySchema.parse({ status: 'firing', labels: { alertname: 'Up', job: 'node' }, startsAt: '2026-11-22T10:00:00Z', fingerprint: 'ff' });
  expect(alertFromEntry(entry, payload, { source: 'alertmanager', assetLabel: 'instance' })).toMatchObject({ title: 'Up', event: { asset: { qualified_name: 'node', asset_type: 'job' } } });
  const bad = amEntrySchema.safeParse({ status: 'pending', labels: {}, startsAt: 'yesterday' });
  expect(bad.success).toBe(false);
  expect(bad.error!.issues.map((i) => i.path.join('.')).sort()).toEqual(['fingerprint', 'labels', 'startsAt', 'status']);
  expect(amPayloadSchema.safeParse({ status: 'firing', alerts: [] }).success).toBe(false);
});

test('startsAt is read as an instant and normalised to UTC; the alert id does not depend on its spelling', () => {
  const base = { status: 'firing', labels: { alertname: 'Up' }, fingerprint: 'ff' };
  const spellings = ['2020-09-08T13:17:40+02:00', '2020-09-08T11:17:40.000000001Z', 1599563860, '1599563860000'];
  const entries = spellings.map((startsAt) => amEntrySchema.parse({ ...base, startsAt }));
  expect(entries.map((e) => e.startsAt)).toEqual(Array(4).fill('2020-09-08T11:17:40.000Z'));
  expect(new Set(entries.map(alertIdOf))).toEqual(new Set(['am-ff-1599563860']));
  const bad = amEntrySchema.safeParse({ ...base, startsAt: -1 });
  expect(bad.error!.issues).toEqual([expect.objectContaining({ path: ['startsAt'], message: expect.stringContaining('epoch time in seconds or milliseconds') })]);
});

test('endsAt: an instant in any accepted form; unknown when zero, missing or unreadable', () => {
  const entry = (endsAt?: unknown) => amEntrySchema.parse({ status: 'resolved', labels: { a: 'b' }, fingerprint: 'ff', startsAt: '2026-11-22T10:00:00Z', ...(endsAt !== undefined && { endsAt }) });
  expect(endTimestampOf(entry('2026-11-22T11:05:00+01:00'))).toBe('2026-11-22T10:05:00.000Z');
  expect(endTimestampOf(entry('1795341900'))).toBe('2026-11-22T10:05:00.000Z');
  for (const unknown of [undefined, '0001-01-01T00:00:00Z', '1970-01-01T00:00:00Z', '0', 'soon', '']) {
    expect(endTimestampOf(entry(unknown))).toBeUndefined();
  }
});

test('an entry maps to an alert Herald accepts: a blank summary gives way, long values are cut, too long links dropped', () => {
  const payload = amPayloadSchema.parse({ ...grafana, title: '' });
  const entry = amEntrySchema.parse({
    ...grafana.alerts[0],
    annotations: { summary: '   ' },
    labels: { alertname: `  ${'r'.repeat(600)}`, host: 'h'.repeat(1500) },
    generatorURL: `https://grafana.example/${'x'.repeat(2000)}`,
  });
  const alert = alertFromEntry(entry, payload, { source: 'grafana', assetLabel: 'host' });
  expect(inboundAlertSchema.safeParse(alert).success).toBe(true);
  expect(alert.title).toBe('r'.repeat(500));
  expect(alert.rule_name).toHaveLength(500);
  expect(alert.event.asset!.qualified_name).toHaveLength(1000);
  expect(alert.links).not.toHaveProperty('generator');
  // Nothing else to go by: the source's own name for it.
  const bare = amEntrySchema.parse({ ...grafana.alerts[0], annotations: {}, labels: { host: 'web-3' } });
  expect(alertFromEntry(bare, payload, { source: 'alertmanager', assetLabel: 'host' }).title).toBe('Prometheus alert');
});

test('an entry with more labels than an alert may carry is refused as such', () => {
  const labels = Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`l${i}`, 'v']));
  const parsed = amEntrySchema.safeParse({ ...grafana.alerts[0], labels });
  expect(parsed.success).toBe(false);
  expect(parsed.error!.issues.map((i) => i.message)).toEqual(['at most 100 labels']);
});
