// Prometheus Alertmanager (webhook payload version 4) and Grafana alerting (the same shape with a
// few fields more) as alert sources. Each entry of `alerts[]` is one firing episode of one alert.
import { z } from 'zod';
import { atMost, MAX_LABELS, type InboundAlert, type Severity } from '../alert';
import { instantSchema, toIsoInstant } from '../timestamps';

const stringMap = z.record(z.string(), z.string());

export const amEntrySchema = z.looseObject({
  status: z.enum(['firing', 'resolved']),
  labels: stringMap
    .refine((l) => Object.keys(l).length > 0, 'must have at least one label')
    .refine(atMost(MAX_LABELS), `at most ${MAX_LABELS} labels`)
    .meta({ minProperties: 1, maxProperties: MAX_LABELS }),
  annotations: stringMap.default({}),
  // Normalised to UTC with milliseconds, so `starts_at` reads alike whatever offset the sender used.
  startsAt: instantSchema,
  // Lenient: a firing entry's endsAt is only Alertmanager's guess; a bad one is ignored, not refused.
  endsAt: z.string().optional(),
  generatorURL: z.string().optional(),
  fingerprint: z.string().regex(/^[0-9a-fA-F]{1,64}$/, 'must be the hex fingerprint Alertmanager computes'),
  // Grafana's extras
  dashboardURL: z.string().optional(),
  panelURL: z.string().optional(),
  silenceURL: z.string().optional(),
  valueString: z.string().optional(),
});
export type AmEntry = z.infer<typeof amEntrySchema>;

/** The envelope; entries are checked one by one so good ones go through when others are bad. */
export const amPayloadSchema = z.looseObject({
  version: z.string().optional(),
  status: z.enum(['firing', 'resolved']),
  receiver: z.string(),
  groupKey: z.string().optional(),
  groupLabels: stringMap.optional(),
  commonLabels: stringMap.optional(),
  commonAnnotations: stringMap.optional(),
  externalURL: z.string().optional(),
  alerts: z.array(z.unknown()).min(1, 'must hold at least one alert'),
  // Grafana's extras
  title: z.string().optional(),
  state: z.string().optional(),
  message: z.string().optional(),
  orgId: z.number().optional(),
});
export type AmPayload = z.infer<typeof amPayloadSchema>;

const SEVERITY_WORDS: Record<string, Severity> = {
  critical: 'critical', crit: 'critical', page: 'critical', p1: 'critical', fatal: 'critical', emergency: 'critical',
  error: 'error', err: 'error', high: 'error', major: 'error', p2: 'error',
  warning: 'warning', warn: 'warning', medium: 'warning', minor: 'warning', p3: 'warning',
  info: 'info', informational: 'info', low: 'info', none: 'info', p4: 'info', p5: 'info',
};

export function severityOf(label: string | undefined): Severity {
  return SEVERITY_WORDS[(label ?? '').trim().toLowerCase()] ?? 'warning';
}

/** One firing episode: the same rule firing again after a resolve starts a new alert. */
export function alertIdOf(entry: Pick<AmEntry, 'fingerprint' | 'startsAt'>): string {
  return `am-${entry.fingerprint.toLowerCase()}-${Math.floor(Date.parse(entry.startsAt) / 1000)}`;
}

/** The first value that says something (an empty summary does not make an empty title). */
const firstNonBlank = (...values: (string | undefined)[]) => values.map((v) => v?.trim()).find((v) => !!v);

/** A link worth passing on: http(s), and short enough for an alert's links (longer ones would be cut broken). */
const isUrl = (v: string | undefined): v is string => !!v && v.length <= 2000 && /^https?:\/\//.test(v);

export type SourceOptions = { source: 'alertmanager' | 'grafana'; assetLabel: string };

/** The Herald alert for one entry (its id included); routed by rules like any other. */
export function alertFromEntry(entry: AmEntry, payload: AmPayload, opts: SourceOptions): InboundAlert & { id: string } {
  const asset = entry.labels[opts.assetLabel] ?? entry.labels.instance ?? entry.labels.job;
  const links: Record<string, string> = {};
  if (isUrl(entry.generatorURL)) links.generator = entry.generatorURL;
  if (isUrl(payload.externalURL)) links[opts.source === 'grafana' ? 'grafana' : 'alertmanager'] = payload.externalURL;
  for (const key of ['dashboardURL', 'panelURL', 'silenceURL'] as const) if (isUrl(entry[key])) links[key.replace('URL', '')] = entry[key];
  const title = firstNonBlank(entry.annotations.summary, entry.labels.alertname, payload.title) ?? 'Prometheus alert';
  return {
    id: alertIdOf(entry),
    title: title.slice(0, 500),
    ...((entry.annotations.description ?? payload.message) && { description: (entry.annotations.description ?? payload.message)!.slice(0, 20_000) }),
    severity: severityOf(entry.labels.severity),
    rule_name: (entry.labels.alertname ?? title).slice(0, 500),
    alert_type: opts.source,
    labels: Object.fromEntries(Object.entries(entry.labels).map(([k, v]) => [k.slice(0, 200), v.slice(0, 1000)])),
    event: {
      type: 'prometheus_alert',
      ...(asset && { asset: { qualified_name: asset.slice(0, 1000), asset_type: entry.labels[opts.assetLabel] ? opts.assetLabel : entry.labels.instance ? 'instance' : 'job' } }),
      details: {
        annotations: entry.annotations,
        fingerprint: entry.fingerprint,
        starts_at: entry.startsAt,
        receiver: payload.receiver,
        ...(payload.groupKey && { group_key: payload.groupKey }),
        ...(entry.valueString && { value: entry.valueString }),
        ...(payload.orgId !== undefined && { grafana_org_id: payload.orgId }),
      },
    },
    links,
    destinations: [],
  };
}

/** When a resolved entry says the anomalous period ended (Go's zero time or the Unix epoch: unknown). */
export function endTimestampOf(entry: AmEntry): string | undefined {
  const end = toIsoInstant(entry.endsAt);
  return end === undefined || Date.parse(end) === 0 ? undefined : end;
}
