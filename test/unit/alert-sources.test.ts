import { alertFromEntry, alertIdOf, amEntrySchema, amPayloadSchema, endTimestampOf, severityOf } from '../../src/domain/sources/alertmanager';

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
