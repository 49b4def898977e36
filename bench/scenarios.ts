// Each measurement as a function of the running system: Herald through its HTTP API, and the two
// baselines (a bare undici POST loop, a bare Temporal workflow with one activity per receiver).
import type { Client } from '@temporalio/client';
import { request } from 'undici';
import { ENTRIES_AT_ONCE } from '../src/api/sources';
import { atConcurrency, atRate } from './load';
import type { BenchReceiver } from './receiver';
import { summarize, type Summary } from './stats';

export type System = {
  apiUrl: string;
  apiKey: string;
  receiver: BenchReceiver;
  /** Herald webhook destination ids, each posting to `/hook<n>` on the receiver. */
  destinations: string[];
  temporal: Client;
  baselineQueue: string;
};

/** The figures, saying on stderr why calls failed when some did. */
function summary(latencies: number[], elapsedMs: number, errors: string[]): Summary {
  if (errors.length > 0) process.stderr.write(`[bench] ${errors.length} calls failed, first: ${errors[0]}\n`);
  return summarize(latencies, elapsedMs, errors.length);
}

export type Drained = { delivered: number; expected: number; seconds: number };

/**
 * Waits (unmeasured) until every delivery a step caused has arrived, so the next step starts on a
 * quiet system: a POST answered 202 leaves its delivery queued behind it.
 */
export async function drain(system: System, keys: string[], what: string): Promise<Drained> {
  const started = performance.now();
  const delivered = await system.receiver.waitForAll(keys, 120_000);
  const seconds = Math.round((performance.now() - started) / 100) / 10;
  if (delivered < keys.length) process.stderr.write(`[bench] ${what}: ${keys.length - delivered} of ${keys.length} deliveries had not arrived when they stopped arriving for 120 s\n`);
  return { delivered, expected: keys.length, seconds };
}

/** `n` of `items` drawn at random without repeats. */
function pick<T>(items: T[], n: number): T[] {
  const pool = [...items];
  for (let i = 0; i < Math.min(n, pool.length); i++) {
    const j = i + Math.floor(Math.random() * (pool.length - i));
    [pool[i], pool[j]] = [pool[j]!, pool[i]!];
  }
  return pool.slice(0, n);
}

let sequence = 0;
export const uniqueId = (prefix: string) => `${prefix}_${Date.now().toString(36)}_${sequence++}`;

export async function api(system: System, method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
  const res = await request(`${system.apiUrl}${path}`, {
    method: method as 'POST',
    headers: { authorization: `Bearer ${system.apiKey}`, 'content-type': 'application/json' },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  const text = await res.body.text();
  return { status: res.statusCode, body: text ? JSON.parse(text) : undefined };
}

export async function triggerAlert(system: System, id: string, destinations: string[]): Promise<void> {
  const res = await api(system, 'POST', '/v1/alerts', { id, title: `Bench ${id}`, severity: 'warning', destinations });
  if (res.status !== 202) throw new Error(`POST /v1/alerts answered ${res.status}: ${JSON.stringify(res.body)}`);
}

export async function resolveAlert(system: System, id: string): Promise<void> {
  const res = await api(system, 'POST', `/v1/alerts/${id}/resolve`, {});
  if (res.status !== 202) throw new Error(`resolve answered ${res.status}: ${JSON.stringify(res.body)}`);
}

/** GET /v1/alerts/{id}: a failure unless it answers 200 with that alert, in `status` when given. */
export async function getAlert(system: System, id: string, status?: string): Promise<{ delivery_state: string }> {
  const res = await api(system, 'GET', `/v1/alerts/${id}`);
  if (res.status !== 200) throw new Error(`GET /v1/alerts/{id} answered ${res.status}: ${JSON.stringify(res.body)}`);
  if (res.body?.id !== id) throw new Error(`GET /v1/alerts/${id} answered another alert (${res.body?.id})`);
  if (status && res.body.status !== status) throw new Error(`GET /v1/alerts/${id} says ${res.body.status}, not ${status}`);
  return res.body;
}

export const LIST_PAGE_SIZE = 50;

/** One page of GET /v1/alerts (open alerts, newest first); a failure unless 200 with a full page. */
export async function listAlerts(system: System, pageToken?: string): Promise<string | undefined> {
  const query = new URLSearchParams({ status: 'triggered', page_size: String(LIST_PAGE_SIZE), ...(pageToken && { page_token: pageToken }) });
  const res = await api(system, 'GET', `/v1/alerts?${query}`);
  if (res.status !== 200) throw new Error(`GET /v1/alerts answered ${res.status}: ${JSON.stringify(res.body)}`);
  if (!Array.isArray(res.body?.data) || res.body.data.length === 0) throw new Error('GET /v1/alerts answered an empty page');
  return res.body.next_page_token;
}

/** GET /v1/alerts/{id} at `perSecond`, each read an alert drawn at random from `ids`. */
export async function heraldReads(system: System, ids: string[], count: number, perSecond: number): Promise<Summary> {
  const { latencies, elapsedMs, errors } = await atRate(count, perSecond, async () => {
    await getAlert(system, ids[Math.floor(Math.random() * ids.length)]!, 'triggered');
  });
  return summary(latencies, elapsedMs, errors);
}

/**
 * GET /v1/alerts?status=triggered&page_size=50 at `perSecond`, each a page drawn at random from the
 * first `pages` (their tokens collected by walking the list first, unmeasured).
 */
export async function heraldLists(system: System, count: number, perSecond: number, pages: number): Promise<Summary & { pages: number }> {
  const tokens: Array<string | undefined> = [undefined];
  while (tokens.length < pages) {
    const next = await listAlerts(system, tokens.at(-1));
    if (!next) break;
    tokens.push(next);
  }
  const { latencies, elapsedMs, errors } = await atRate(count, perSecond, async () => {
    await listAlerts(system, tokens[Math.floor(Math.random() * tokens.length)]);
  });
  return { ...summary(latencies, elapsedMs, errors), pages: tokens.length };
}

/** The read loop's own floor: the same client GETting the receiver at the same rate. */
export async function bareReads(system: System, count: number, perSecond: number): Promise<Summary> {
  const { latencies, elapsedMs, errors } = await atRate(count, perSecond, async () => {
    const res = await request(`${system.receiver.url}/bare-read`);
    await res.body.dump();
    if (res.statusCode !== 200) throw new Error(`receiver answered ${res.statusCode}`);
  });
  return summary(latencies, elapsedMs, errors);
}

/**
 * The read model caught up: every one of `ids` reads as delivered within `withinMs` (the attempt is
 * recorded after the receiver answered). Answers the ids that did not.
 */
export async function readModelDelivered(system: System, ids: string[], withinMs: number): Promise<string[]> {
  const deadline = performance.now() + withinMs;
  let pending = ids;
  while (pending.length > 0 && performance.now() < deadline) {
    const states = await Promise.all(pending.map(async (id) => (await getAlert(system, id)).delivery_state));
    pending = pending.filter((_, i) => states[i] !== 'delivered');
    if (pending.length > 0) await new Promise((r) => setTimeout(r, 200));
  }
  return pending;
}

const heraldKey = (hook: number, id: string, event = 'alert.triggered') => `/hook${hook}|${id}|${event}`;
const baselineUrl = (system: System, hook: number) => `${system.receiver.url}/base${hook}`;

export type EndToEnd = Summary & { read_model: { sampled: number; delivered: number } };

/**
 * Trigger → first webhook received, closed loop at `concurrency`. Afterwards (unmeasured) a sample
 * of the alerts must read as delivered in the read model: the figures include its writes.
 */
export async function heraldEndToEnd(system: System, count: number, concurrency: number, fanOut: number): Promise<EndToEnd> {
  const targets = system.destinations.slice(0, fanOut);
  const ids: string[] = [];
  const { latencies, elapsedMs, errors } = await atConcurrency(count, concurrency, async () => {
    const id = uniqueId(`e2e${fanOut}`);
    ids.push(id);
    await triggerAlert(system, id, targets);
    await system.receiver.waitFor([heraldKey(1, id)], 120_000);
  });
  await drain(system, ids.flatMap((id) => targets.map((_, hook) => heraldKey(hook + 1, id))), `end to end × ${fanOut}`);
  const sample = pick(ids, 50);
  const behind = await readModelDelivered(system, sample, 30_000);
  if (behind.length > 0) process.stderr.write(`[bench] ${behind.length} of ${sample.length} sampled alerts do not read as delivered after 30 s, e.g. ${behind[0]}\n`);
  return { ...summary(latencies, elapsedMs, errors), read_model: { sampled: sample.length, delivered: sample.length - behind.length } };
}

/** The engine limit: workflow start → the bare activity's POST received, same load shape. */
export async function temporalEndToEnd(system: System, count: number, concurrency: number, fanOut: number): Promise<Summary> {
  const urls = Array.from({ length: fanOut }, (_, i) => baselineUrl(system, i + 1));
  const ids: string[] = [];
  const { latencies, elapsedMs, errors } = await atConcurrency(count, concurrency, async () => {
    const id = uniqueId(`bare${fanOut}`);
    ids.push(id);
    await system.temporal.workflow.start('bareDelivery', { taskQueue: system.baselineQueue, workflowId: id, args: [urls, id] });
    await system.receiver.waitFor([`/base1|${id}|post`], 120_000);
  });
  await drain(system, ids.flatMap((id) => urls.map((_, hook) => `/base${hook + 1}|${id}|post`)), `bare end to end × ${fanOut}`);
  return summary(latencies, elapsedMs, errors);
}

/** The HTTP limit: the same POST straight from a loop. */
export async function bareHttp(system: System, count: number, concurrency: number): Promise<Summary> {
  const { latencies, elapsedMs, errors } = await atConcurrency(count, concurrency, async () => {
    const res = await request(`${system.receiver.url}/bare`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ id: uniqueId('http') }),
    });
    await res.body.dump();
  });
  return summary(latencies, elapsedMs, errors);
}

/** An ingest figure, and how long its deliveries took to arrive after the last answer (unmeasured). */
export type Ingest = Summary & { drained: Drained };

/**
 * POST /v1/alerts answered (202) at a fixed rate, or at saturation when `perSecond` is undefined;
 * then its deliveries drain. `accepted` collects the ids answered 202.
 */
export async function heraldIngest(system: System, count: number, perSecond: number | undefined, { concurrency = 32, accepted = [] as string[] } = {}): Promise<Ingest> {
  const call = async () => {
    const id = uniqueId('ingest');
    await triggerAlert(system, id, system.destinations.slice(0, 1));
    accepted.push(id);
  };
  const { latencies, elapsedMs, errors } = perSecond ? await atRate(count, perSecond, call) : await atConcurrency(count, concurrency, call);
  const drained = await drain(system, accepted.map((id) => heraldKey(1, id)), 'ingest');
  return { ...summary(latencies, elapsedMs, errors), drained };
}

/** The engine's own accept latency: a bare workflow start at the same rate; then its deliveries drain. */
export async function temporalIngest(system: System, count: number, perSecond: number | undefined, concurrency = 32): Promise<Ingest> {
  const url = baselineUrl(system, 1);
  const started: string[] = [];
  const call = async () => {
    const id = uniqueId('bare_ingest');
    await system.temporal.workflow.start('bareDelivery', { taskQueue: system.baselineQueue, workflowId: id, args: [[url], id] });
    started.push(id);
  };
  const { latencies, elapsedMs, errors } = perSecond ? await atRate(count, perSecond, call) : await atConcurrency(count, concurrency, call);
  const drained = await drain(system, started.map((id) => `/base1|${id}|post`), 'bare ingest');
  return { ...summary(latencies, elapsedMs, errors), drained };
}

/** The baseline starts bare workflows as many at a time as the source runs entries. */
export const SOURCE_ENTRIES_AT_ONCE = ENTRIES_AT_ONCE;

export type SourceBatch = { seconds: number; accepted: number; rejected: number };

/**
 * One Alertmanager notification (one group, one host per entry) to /v1/sources/alertmanager, timed
 * from the POST to its answer. The same fingerprints and start time each run of a size, so the
 * resolved batch closes the firing one's alerts.
 */
let batchRun = 0;
export async function heraldSourceBatch(system: System, entries: number, status: 'firing' | 'resolved'): Promise<SourceBatch> {
  if (status === 'firing') batchRun++;
  const startsAt = new Date(Date.UTC(2026, 0, 1, 0, batchRun)).toISOString();
  const alerts = Array.from({ length: entries }, (_, i) => ({
    status,
    labels: { alertname: 'BenchHostDown', instance: `host-${i}:9100`, severity: 'critical' },
    annotations: { summary: `host-${i} is down` },
    startsAt,
    ...(status === 'resolved' && { endsAt: new Date(Date.parse(startsAt) + 60_000).toISOString() }),
    fingerprint: `${batchRun.toString(16)}${i.toString(16).padStart(8, '0')}`,
  }));
  const started = performance.now();
  const res = await api(system, 'POST', '/v1/sources/alertmanager', { version: '4', status, receiver: 'herald', groupKey: '{}:{alertname="BenchHostDown"}', alerts });
  const seconds = Math.round(performance.now() - started) / 1000;
  if (res.status !== 200) throw new Error(`the source answered ${res.status}: ${JSON.stringify(res.body).slice(0, 300)}`);
  return { seconds, accepted: res.body.accepted.length, rejected: res.body.rejected.length };
}

export type Storm = {
  alerts: number;
  groups: number;
  seconds: number;
  group_wait_s: number;
  /** POST /v1/alerts during the storm. */
  ingest: Summary;
  /** Per group: its first notification's arrival after its first alert's answer, less group_wait (ms). */
  first_notification_late_ms: { p50: number; p99: number; max: number };
  notifications: number;
  /** The same storm without grouping: one webhook per alert, and how long until the last arrived after the storm. */
  ungrouped: { ingest: Summary; deliveries: number; drained_s: number };
};

/**
 * A storm: `alerts` POSTs spread evenly over `seconds`, falling into `groups` groups (one label
 * value each) of one grouping rule; then the same storm through a rule without grouping.
 */
export async function storm(system: System, hook: { grouped: string; ungrouped: string; path: string; ungroupedPath: string }, alerts: number, groups: number, seconds: number, groupWaitS: number): Promise<Storm> {
  const run = uniqueId('storm');
  const rule = await api(system, 'POST', '/v1/rules', {
    name: `bench storm ${run}`,
    match: { labels: { storm: run } },
    destination_ids: [hook.grouped],
    group: { by: ['service'], group_wait_s: groupWaitS, group_interval_s: 300, repeat_interval_s: 3600 },
  });
  if (rule.status !== 201) throw new Error(`creating the storm rule answered ${rule.status}: ${JSON.stringify(rule.body)}`);
  const firstAnswer = new Map<string, number>();
  const ingest = await atRate(alerts, alerts / seconds, async (i) => {
    const service = `svc-${i % groups}`;
    const res = await api(system, 'POST', '/v1/alerts', { id: `${run}_${i}`, title: `${service} is failing`, labels: { storm: run, service } });
    if (res.status !== 202) throw new Error(`POST /v1/alerts answered ${res.status}: ${JSON.stringify(res.body).slice(0, 200)}`);
    if (!firstAnswer.has(service)) firstAnswer.set(service, performance.now());
  });
  // Each group's first notification: its key is `<path>|<group id>|group.triggered`.
  const deadline = performance.now() + 180_000;
  while (system.receiver.arrivalsOf(hook.path, 'group.triggered').length < groups && performance.now() < deadline) await new Promise((r) => setTimeout(r, 200));
  const groupsNow = (await api(system, 'GET', `/v1/groups?page_size=200`)).body.data as Array<{ id: string; key: { service: string }; name: string }>;
  const late = groupsNow
    .filter((g) => g.name === `bench storm ${run}`)
    .flatMap((g) => {
      const at = system.receiver.arrivedAt(`${hook.path}|${g.id}|group.triggered`);
      const first = firstAnswer.get(g.key.service);
      return at !== undefined && first !== undefined ? [at - first - groupWaitS * 1000] : [];
    })
    .sort((a, b) => a - b);
  const quantile = (q: number) => Math.round(late[Math.min(late.length - 1, Math.ceil(q * late.length) - 1)] ?? NaN);
  await new Promise((r) => setTimeout(r, 2000)); // a late duplicate would be counted too
  const notifications = system.receiver.posts(hook.path);

  const plain = await api(system, 'POST', '/v1/rules', { name: `bench storm ungrouped ${run}`, match: { labels: { storm: `${run}-plain` } }, destination_ids: [hook.ungrouped] });
  if (plain.status !== 201) throw new Error(`creating the ungrouped rule answered ${plain.status}`);
  const plainIds: string[] = [];
  const plainIngest = await atRate(alerts, alerts / seconds, async (i) => {
    const id = `${run}_plain_${i}`;
    const res = await api(system, 'POST', '/v1/alerts', { id, title: `svc-${i % groups} is failing`, labels: { storm: `${run}-plain`, service: `svc-${i % groups}` } });
    if (res.status !== 202) throw new Error(`POST /v1/alerts answered ${res.status}`);
    plainIds.push(id);
  });
  const drained = await drain(system, plainIds.map((id) => `${hook.ungroupedPath}|${id}|alert.triggered`), 'ungrouped storm');
  return {
    alerts,
    groups,
    seconds,
    group_wait_s: groupWaitS,
    ingest: summary(ingest.latencies, ingest.elapsedMs, ingest.errors),
    first_notification_late_ms: { p50: quantile(0.5), p99: quantile(0.99), max: Math.round(late.at(-1) ?? NaN) },
    notifications,
    ungrouped: { ingest: summary(plainIngest.latencies, plainIngest.elapsedMs, plainIngest.errors), deliveries: drained.delivered, drained_s: drained.seconds },
  };
}

export { heraldKey };

export type OutageSide = {
  /** POSTs the receiver refused while it was down. */
  requests_while_down: number;
  deliveries: number;
  /** From the receiver coming back to the last alert delivered. */
  drained_s: number;
};
export type Outage = { alerts: number; down_s: number; retry_schedule: number[]; circuit: OutageSide; no_circuit: OutageSide };

/**
 * A receiver down for `downS` seconds while `alerts` alerts trigger into it, twice at once: through a
 * destination with the default circuit breaker and through one without (failure_threshold 0, today's
 * behaviour before the circuit): the requests each made while it was down, and how long each took to
 * deliver everything once it was back.
 */
export async function outage(system: System, receiverPaths: { circuit: string; none: string }, alerts: number, downS: number): Promise<Outage> {
  const run = uniqueId('outage');
  const create = async (name: string, path: string, circuit?: unknown) => {
    const res = await api(system, 'POST', '/v1/destinations', { name: `${name} ${run}`, type: 'webhook', config: { url: `${system.receiver.url}${path}` }, ...(circuit !== undefined && { circuit_breaker: circuit }) });
    if (res.status !== 201) throw new Error(`creating ${name} answered ${res.status}: ${JSON.stringify(res.body)}`);
    return res.body as { id: string; retry_schedule: number[] };
  };
  const withCircuit = await create('bench outage (circuit)', receiverPaths.circuit);
  const withoutCircuit = await create('bench outage (no circuit)', receiverPaths.none, { failure_threshold: 0 });
  system.receiver.goDown(receiverPaths.circuit);
  system.receiver.goDown(receiverPaths.none);
  const downAt = performance.now();
  const ids = Array.from({ length: alerts }, (_, i) => `${run}_${i}`);
  await atConcurrency(alerts, 32, async (i) => {
    for (const [id, destination] of [[`${ids[i]}_c`, withCircuit.id], [`${ids[i]}_n`, withoutCircuit.id]] as const) {
      const res = await api(system, 'POST', '/v1/alerts', { id, title: `Outage ${i}`, destinations: [destination] });
      if (res.status !== 202) throw new Error(`POST /v1/alerts answered ${res.status}`);
    }
  });
  await new Promise((r) => setTimeout(r, Math.max(0, downS * 1000 - (performance.now() - downAt))));
  const refused = { circuit: system.receiver.up(receiverPaths.circuit), none: system.receiver.up(receiverPaths.none) };
  const backAt = performance.now();
  const side = async (path: string, suffix: string, requests: number): Promise<OutageSide> => {
    const keys = ids.map((id) => `${path}|${id}_${suffix}|alert.triggered`);
    const delivered = await system.receiver.waitForAll(keys, 900_000);
    const last = Math.max(...keys.map((k) => system.receiver.arrivedAt(k) ?? backAt));
    return { requests_while_down: requests, deliveries: delivered, drained_s: Math.round((last - backAt) / 100) / 10 };
  };
  const [circuit, noCircuit] = await Promise.all([side(receiverPaths.circuit, 'c', refused.circuit), side(receiverPaths.none, 'n', refused.none)]);
  return { alerts, down_s: downS, retry_schedule: withCircuit.retry_schedule, circuit, no_circuit: noCircuit };
}
