// The figures as a table on stdout (the same rows the README's Performance section shows): each
// Herald figure beside its baseline from the same run, the scale step's against its targets.
import { SOURCE_ENTRIES_AT_ONCE, type EndToEnd, type Ingest, type Outage, type SourceBatch, type Storm } from './scenarios';
import type { FanoutCase, UpdatesCase } from './curves';
import type { Limiter } from './limiter';
import type { RoutingCase } from './routing';
import type { Summary } from './stats';

/** The scale step's targets (issue: reads while 10 000 are open; worker memory with 100 000 open). */
export const TARGETS = { readRate: 200, readP99Ms: 20, workerRssMb: 500 } as const;

type Phase = { all_open: number; peak_opening: number; peak_while_open: number; peak_resolving: number; after_resolve: number };
type Beside = { herald: Summary; baseline: Summary };
export type ScalePoint = { open_alerts: number; worker_rss_mb: number; api_rss_mb: number; ingest_p99_ms: number; bare_start_p99_ms: number; get_p99_ms: number; list_p99_ms: number };
type IngestBeside = { herald: Ingest; baseline: Ingest };

type EndToEndWorkers = { herald: EndToEnd; baseline: Summary };

/** One engine's figures: each step that ran, the CPU seconds of every process during each step. */
export type EngineReport = {
  engine: string;
  label: string;
  /** `herald_first_attempts_scheduled`: the same load through an API whose alerts schedule every attempt (before issue 21's change). */
  end_to_end?: Array<{ case: string; herald: EndToEnd; baseline: Summary; throughput_ratio: number; p99_ratio: number; http_ratio: number; herald_first_attempts_scheduled?: EndToEnd }>;
  http_baseline?: Summary;
  ingest?: Array<{ load: string } & IngestBeside>;
  /** End to end (1 destination) with one Herald worker (one baseline worker), then two of each. */
  workers?: { concurrency: number; one: EndToEndWorkers; two: EndToEndWorkers };
  cpu_seconds: Record<string, Record<string, number>>;
  /** One Alertmanager notification of `entries` alerts, firing then resolved; beside as many bare starts. */
  batch?: { entries: number; firing: SourceBatch; resolved: SourceBatch; baseline: Ingest };
  /** A storm of alerts into a few groups, beside the same storm ungrouped; peak RSS of each process during both. */
  storm?: Storm & { peak_rss_mb: Record<string, number> };
  /** A receiver down for minutes under open alerts, with the circuit breaker and without (the baseline). */
  outage?: Outage;
  /** Destinations per alert: end to end to every destination, and CPU per alert, beside the bare workflow. */
  fanout?: FanoutCase[];
  /** Updates per alert: time per update and history events per update, beside a bare workflow's signals. */
  updates?: { fixed_history_events: { herald: number; baseline: number }; cases: UpdatesCase[] };
  /** One point per scale run (BENCH_OPEN_ALERTS=1000,10000): how memory and latency grow with the alerts open. */
  scale_curve?: ScalePoint[];
  scale?: {
    open_alerts: number;
    open_concurrency: number;
    /** Open in the read model while they were read: this step's and the earlier steps' (never resolved). */
    open_in_read_model: number;
    /** POST → 202 (`posts`) and POST → its webhook received (`to_delivery`), N in flight. */
    open: {
      posts: Summary;
      to_delivery: Summary;
      delivered_seconds: number;
      per_s: number;
      /** Deliveries slower than 30 s (a first attempt failed and waited for its retry); the ten slowest's attempts. */
      slow: { over_30s: number; slowest_ms: number[]; slowest_attempts: number; slowest_errors: Record<string, number> };
    };
    /** When all were open, from the worker's /metrics (the workflow thread's heap is not in main_heap). */
    worker_memory: { main_heap_used_mb?: number; main_heap_total_mb?: number; external_mb?: number; sticky_cache_size?: number };
    rss_mb: { worker: Phase; api: Phase };
    trigger_while_open: IngestBeside;
    get_while_open: { rate: number } & Beside;
    list_while_open: { rate: number; page_size: number; pages: number } & Beside;
    resolve: {
      alerts: number;
      refused: number;
      posts: Summary;
      to_delivery: Summary;
      delivered_seconds: number;
      per_s: number;
      resolved_delivered: number;
      duplicate_deliveries_in_run: number;
    };
  };
  memory: { idle: Record<string, number>; peak_under_load?: Record<string, number> };
};

export type Report = {
  machine: Record<string, string | number>;
  sizes: Record<string, number | number[]>;
  /** The steps this run ran (BENCH_STEPS); a step not run leaves its part out. */
  steps: string[];
  /** The limiter step: a rate-limit reservation on SQLite beside a circuit read (the store alone, no engine). */
  limiter?: Limiter;
  /** The routing step: finding an alert's rules as rules grow, Herald's index beside a scan of every rule (the store alone). */
  routing?: RoutingCase[];
  engines: EngineReport[];
};

const row = (cells: Array<string | number>) => `| ${cells.join(' | ')} |`;
const fig = (s: Summary) => `${s.per_s}/s, p50 ${s.p50_ms} ms, p99 ${s.p99_ms} ms${s.errors ? `, **${s.errors} failed**` : ''}`;
const count = (s: Summary) => `${s.count + (s.errors ?? 0)} calls, ${s.errors ?? 0} failed`;
const m = (mb: number | undefined) => (mb === undefined ? '?' : `${mb} MB`);
const drained = (i: Ingest) =>
  `delivered ${i.drained.seconds} s after${i.drained.delivered < i.drained.expected ? ` (**${i.drained.expected - i.drained.delivered} of ${i.drained.expected} never**)` : ''}`;
const verdict = (met: boolean) => (met ? 'met' : '**missed**');

/** A read measurement meets the target when it kept the rate (within 5 %), none failed and p99 is within it. */
export function readTargetMet(s: Summary, rate: number): boolean {
  return !s.errors && s.per_s >= rate * 0.95 && s.p99_ms <= TARGETS.readP99Ms;
}

export function printReport(r: Report): void {
  const lines = [
    `Machine: ${r.machine.cpus} × ${r.machine.cpu}, ${r.machine.memory_gb} GiB, ${r.machine.platform}, Node ${r.machine.node}`,
    `Steps run: ${r.steps.join(', ')}`,
    '',
    ...(r.limiter ? limiterLines(r.limiter) : []),
    ...(r.routing ? routingLines(r.routing) : []),
    ...r.engines.flatMap((e) => [
      `### Engine: ${e.label}`,
      '',
      ...(e.end_to_end && e.http_baseline ? endToEndLines(e.end_to_end, e.http_baseline) : []),
      ...(e.ingest ? ingestLines(e.ingest) : []),
      ...(e.workers ? workersLines(e.workers) : []),
      ...(e.batch ? batchLines(e.batch) : []),
      ...(e.storm ? stormLines(e.storm) : []),
      ...(e.outage ? outageLines(e.outage) : []),
      ...(e.fanout ? fanoutLines(e.fanout) : []),
      ...(e.updates ? updatesLines(e.updates) : []),
      ...(e.scale ? scaleLines(e.scale, e.memory.idle) : []),
      ...(e.scale_curve && e.scale_curve.length > 1 ? scaleCurveLines(e.scale_curve) : []),
      ...(e.memory.peak_under_load ? memoryLines(e.memory.idle, e.memory.peak_under_load) : []),
      ...cpuLines(e.cpu_seconds),
    ]),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

function batchLines(b: NonNullable<EngineReport['batch']>): string[] {
  const seconds = (s: SourceBatch) => `${s.seconds} s (${s.accepted} accepted, ${s.rejected} rejected)`;
  return [
    `| One Alertmanager notification of ${b.entries} alerts | answered in |`,
    '| --- | --- |',
    row(['firing (each starts an alert)', seconds(b.firing)]),
    row(['resolved (each closes one)', seconds(b.resolved)]),
    row([`baseline: ${b.entries} bare workflow starts, ${b.baseline.count} done ${SOURCE_ENTRIES_AT_ONCE} at a time`, `${Math.round((b.baseline.count / b.baseline.per_s) * 100) / 100} s`]),
    '',
  ];
}

function stormLines(st: NonNullable<EngineReport['storm']>): string[] {
  const rss = Object.entries(st.peak_rss_mb).map(([name, mb]) => `${name} ${mb} MB`).join(', ');
  return [
    `| A storm of ${st.alerts} alerts in ${st.seconds} s | grouped (${st.groups} groups, group_wait ${st.group_wait_s} s) | ungrouped (baseline) |`,
    '| --- | --- | --- |',
    row(['POST /v1/alerts', fig(st.ingest), fig(st.ungrouped.ingest)]),
    row(['notifications sent', String(st.notifications), String(st.ungrouped.deliveries)]),
    row(['first notification per group after group_wait (p50 / p99 / max)', `${st.first_notification_late_ms.p50} / ${st.first_notification_late_ms.p99} / ${st.first_notification_late_ms.max} ms`, '']),
    row(['last delivery after the storm', '', `${st.ungrouped.drained_s} s`]),
    row(['peak RSS during both', rss, '']),
    '',
  ];
}

function limiterLines(l: Limiter): string[] {
  return [
    `| The shared rate limiter on SQLite (${l.concurrency} at once) | ${l.reservations.count} reservations | baseline: ${l.baseline_circuit_reads.count} circuit reads (every attempt makes one) |`,
    '| --- | --- | --- |',
    row(['cost', fig(l.reservations), fig(l.baseline_circuit_reads)]),
    '',
  ];
}

function routingLines(cases: RoutingCase[]): string[] {
  return [
    '| Routing one alert on SQLite | Herald (revision read, indexed rules) | baseline: read and test every rule | rules matched per alert |',
    '| --- | --- | --- | --- |',
    ...cases.map((c) => row([`${c.rules} rules`, `p50 ${c.herald.p50_us} µs, p99 ${c.herald.p99_us} µs`, `p50 ${c.baseline.p50_us} µs, p99 ${c.baseline.p99_us} µs`, c.matched_per_alert])),
    '',
  ];
}

function fanoutLines(cases: FanoutCase[]): string[] {
  const first = cases[0]!;
  const side = (s: FanoutCase['herald']) => `${fig(s)}; worker ${s.worker_cpu_ms_per_alert} ms CPU, all processes ${s.all_cpu_ms_per_alert} ms`;
  return [
    `| Fan-out: ${first.alerts} alerts per case, ${first.concurrency} in flight, trigger → every destination's webhook | Herald (per alert: worker CPU, CPU of every process) | bare Temporal workflow, one activity per receiver | Herald ÷ bare (throughput, worker CPU per alert) |`,
    '| --- | --- | --- | --- |',
    ...cases.map((c) =>
      row([`${c.destinations} destination${c.destinations === 1 ? '' : 's'}`, side(c.herald), side(c.baseline), `${Math.round((c.herald.per_s / c.baseline.per_s) * 100) / 100}×, ${Math.round((c.herald.worker_cpu_ms_per_alert / c.baseline.worker_cpu_ms_per_alert) * 100) / 100}×`]),
    ),
    '',
  ];
}

function updatesLines(u: NonNullable<EngineReport['updates']>): string[] {
  const side = (s: UpdatesCase['herald']) =>
    `${s.ms_per_update} ms per update (POST → received p50 ${s.latency.p50_ms} ms, p99 ${s.latency.p99_ms} ms); ${s.history_events_per_update} history events per update (${s.history_events} in ${s.runs} run${s.runs === 1 ? '' : 's'}); ${s.deliveries} POSTs received`;
  return [
    `| Updates to one alert (1 destination), each POSTed once the last was answered; done when that update or a later one is received | Herald (POST /v1/alerts/{id}/events) | bare workflow: one signal, one activity each |`,
    '| --- | --- | --- |',
    ...u.cases.map((c) => row([`${c.updates} updates`, side(c.herald), side(c.baseline)])),
    '',
    `History per update is the workflow's history (every run summed) less that of one with no update: ${u.fixed_history_events.herald} events for Herald (trigger, delivery, resolve), ${u.fixed_history_events.baseline} for the bare workflow.`,
    '',
  ];
}

function outageLines(o: Outage): string[] {
  return [
    `| ${o.alerts} alerts into a receiver down ${o.down_s} s (schedule ${o.retry_schedule.join(', ')} s) | circuit breaker (defaults) | no circuit (baseline) |`,
    '| --- | --- | --- |',
    row(['requests while it was down', String(o.circuit.requests_while_down), String(o.no_circuit.requests_while_down)]),
    row(['delivered once it was back', `${o.circuit.deliveries} of ${o.alerts}`, `${o.no_circuit.deliveries} of ${o.alerts}`]),
    row(['last delivery after it came back', `${o.circuit.drained_s} s`, `${o.no_circuit.drained_s} s`]),
    '',
  ];
}

function workersLines(w: NonNullable<EngineReport['workers']>): string[] {
  const scaling = (two: number, one: number) => `${Math.round((two / one) * 100) / 100}×`;
  return [
    `| Throughput by workers (1 destination, ${w.concurrency} in flight) | Herald | bare Temporal workflow | Herald ÷ Temporal |`,
    '|---|---|---|---|',
    row(['1 worker', fig(w.one.herald), fig(w.one.baseline), `${Math.round((w.one.herald.per_s / w.one.baseline.per_s) * 100) / 100}×`]),
    row(['2 workers', fig(w.two.herald), fig(w.two.baseline), `${Math.round((w.two.herald.per_s / w.two.baseline.per_s) * 100) / 100}×`]),
    row(['2 ÷ 1', scaling(w.two.herald.per_s, w.one.herald.per_s), scaling(w.two.baseline.per_s, w.one.baseline.per_s), '']),
    '',
  ];
}

/** Which process each step's time went to: CPU seconds per process beside the step's wall-clock time. */
function cpuLines(cpu: EngineReport['cpu_seconds']): string[] {
  const stepNames = Object.keys(cpu);
  if (stepNames.length === 0) return [];
  const processes = [...new Set(stepNames.flatMap((s) => Object.keys(cpu[s]!).filter((k) => k !== 'wall')))];
  return [
    `| CPU seconds (2 CPUs = 2 s per second) | wall s | ${processes.join(' | ')} |`,
    `|---|---|${processes.map(() => '---').join('|')}|`,
    ...stepNames.map((s) => row([s, cpu[s]!.wall ?? '', ...processes.map((p) => cpu[s]![p] ?? '')])),
    '',
  ];
}

function endToEndLines(e2e: NonNullable<EngineReport['end_to_end']>, http: Summary): string[] {
  const readModel = e2e.map((e) => `${e.herald.read_model.delivered} of ${e.herald.read_model.sampled} (${e.case})`).join(', ');
  const scheduled = e2e.some((e) => e.herald_first_attempts_scheduled);
  return [
    `| End to end (trigger → first webhook) | Herald | bare Temporal workflow | Herald ÷ Temporal (throughput, p99) | Herald ÷ bare HTTP loop (throughput) |${scheduled ? ' Herald, first attempts scheduled (before) |' : ''}`,
    `|---|---|---|---|---|${scheduled ? '---|' : ''}`,
    ...e2e.map((e) => row([e.case, fig(e.herald), fig(e.baseline), `${e.throughput_ratio}×, ${e.p99_ratio}×`, `${e.http_ratio}× (loop: ${http.per_s}/s)`, ...(scheduled ? [e.herald_first_attempts_scheduled ? fig(e.herald_first_attempts_scheduled) : ''] : [])])),
    '',
    `Read model after end to end: sampled alerts reading as delivered: ${readModel}.`,
    '',
  ];
}

function ingestLines(ingest: NonNullable<EngineReport['ingest']>): string[] {
  return [
    '| Ingest (POST /v1/alerts → 202, store write included; then the deliveries drain) | Herald | bare workflow start |',
    '|---|---|---|',
    ...ingest.map((i) => row([i.load, `${fig(i.herald)}; ${drained(i.herald)}`, `${fig(i.baseline)}; ${drained(i.baseline)}`])),
    '',
  ];
}

function scaleLines(s: NonNullable<EngineReport['scale']>, idle: Record<string, number>): string[] {
  const open = `${s.open_alerts} open`;
  const workerPeak = Math.max(s.rss_mb.worker.all_open, s.rss_mb.worker.peak_while_open);
  return [
    `| Scale: ${s.open_alerts} alerts opened through the API, ${s.open_concurrency} in flight | Herald | baseline (same run) |`,
    '|---|---|---|',
    row([`open all, each until delivered`, `${s.open.delivered_seconds} s (${s.open.per_s}/s); POST → 202 p50 ${s.open.posts.p50_ms} ms, p99 ${s.open.posts.p99_ms} ms; POST → webhook p50 ${s.open.to_delivery.p50_ms} ms, p99 ${s.open.to_delivery.p99_ms} ms`, 'end to end above (16 in flight)']),
    row([
      'slow first deliveries',
      `${s.open.slow.over_30s} of ${s.open_alerts} took over 30 s; the 10 slowest (${s.open.slow.slowest_ms.map((ms) => Math.round(ms / 100) / 10).join(', ')} s) made ${s.open.slow.slowest_attempts} attempts` +
        (Object.keys(s.open.slow.slowest_errors).length ? `, failed ones: ${Object.entries(s.open.slow.slowest_errors).map(([e, n]) => `${n} × ${e.replace(/\|/g, '/').replace(/\s+/g, ' ').slice(0, 200)}`).join('; ')}` : ', none failed'),
      '',
    ]),
    row(['open in the read model while read', `${s.open_in_read_model} (these, those triggered while open, and the earlier steps')`, '']),
    row([`POST /v1/alerts at 100/s, ${open}`, `${fig(s.trigger_while_open.herald)}; ${drained(s.trigger_while_open.herald)}`, `bare workflow start: ${fig(s.trigger_while_open.baseline)}; ${drained(s.trigger_while_open.baseline)}`]),
    row([`GET /v1/alerts/{id} at ${s.get_while_open.rate}/s, ${open}, random ids`, `${fig(s.get_while_open.herald)}, max ${s.get_while_open.herald.max_ms} ms (${count(s.get_while_open.herald)})`, `bare GET loop: ${fig(s.get_while_open.baseline)}`]),
    row([
      `GET /v1/alerts?status=triggered&page_size=${s.list_while_open.page_size} at ${s.list_while_open.rate}/s, ${open}, random page of the first ${s.list_while_open.pages}`,
      `${fig(s.list_while_open.herald)}, max ${s.list_while_open.herald.max_ms} ms (${count(s.list_while_open.herald)})`,
      `bare GET loop: ${fig(s.list_while_open.baseline)}`,
    ]),
    row(['worker RSS', `${s.rss_mb.worker.all_open} MB when all were open, peak ${s.rss_mb.worker.peak_while_open} MB while open (peak opening ${s.rss_mb.worker.peak_opening}, resolving ${s.rss_mb.worker.peak_resolving}, after ${s.rss_mb.worker.after_resolve} MB)`, `idle ${idle.worker_mb} MB`]),
    row([
      'worker memory when all were open',
      `main-thread V8 heap ${m(s.worker_memory.main_heap_used_mb)} used of ${m(s.worker_memory.main_heap_total_mb)}, external ${m(s.worker_memory.external_mb)}, workflows cached ${s.worker_memory.sticky_cache_size ?? '?'} (the rest of RSS: the workflow thread and the SDK's core)`,
      '',
    ]),
    row(['api RSS', `${s.rss_mb.api.all_open} MB when all were open, peak ${s.rss_mb.api.peak_while_open} MB while open (peak opening ${s.rss_mb.api.peak_opening}, resolving ${s.rss_mb.api.peak_resolving}, after ${s.rss_mb.api.after_resolve} MB)`, `idle ${idle.api_mb} MB`]),
    row([
      `resolve all ${s.resolve.alerts}`,
      `${s.resolve.delivered_seconds} s until the last alert.resolved arrived (${s.resolve.per_s}/s); POST → 202 p50 ${s.resolve.posts.p50_ms} ms, p99 ${s.resolve.posts.p99_ms} ms; ` +
        `POST → webhook p50 ${s.resolve.to_delivery.p50_ms} ms, p99 ${s.resolve.to_delivery.p99_ms} ms; ` +
        `alert.resolved received for ${s.resolve.resolved_delivered} of ${s.resolve.alerts}${s.resolve.refused ? ` (**${s.resolve.refused} resolves refused**)` : ''}`,
      '',
    ]),
    '',
    `Deliveries the receiver got twice in the whole run (at least once): ${s.resolve.duplicate_deliveries_in_run}.`,
    '',
    '| Target | Measured | |',
    '|---|---|---|',
    row([
      `GET /v1/alerts/{id} at ${TARGETS.readRate}/s while ${open}: none failed, p99 ≤ ${TARGETS.readP99Ms} ms`,
      `${s.get_while_open.herald.per_s}/s, ${s.get_while_open.herald.errors ?? 0} failed, p99 ${s.get_while_open.herald.p99_ms} ms`,
      verdict(readTargetMet(s.get_while_open.herald, s.get_while_open.rate)),
    ]),
    row([`worker RSS ≤ ${TARGETS.workerRssMb} MB while ${open}`, `${workerPeak} MB (peak while open)`, verdict(workerPeak <= TARGETS.workerRssMb)]),
    row([
      `every resolve delivered (alert.resolved at the receiver)`,
      `${s.resolve.resolved_delivered} of ${s.resolve.alerts}`,
      verdict(s.resolve.resolved_delivered === s.resolve.alerts && s.resolve.refused === 0),
    ]),
    '',
  ];
}

function memoryLines(idle: Record<string, number>, peak: Record<string, number>): string[] {
  return [
    '| Memory (RSS) | idle | peak under end-to-end load |',
    '|---|---|---|',
    row(['herald api', `${idle.api_mb} MB`, `${peak['herald api']} MB`]),
    row(['herald worker', `${idle.worker_mb} MB`, `${peak['herald worker']} MB`]),
    row(['baseline worker', '', `${peak['baseline worker']} MB`]),
    '',
  ];
}

function scaleCurveLines(curve: ScalePoint[]): string[] {
  return [
    '| Open alerts (each its own scale run) | worker RSS, all open | API RSS, all open | POST /v1/alerts at 100/s: p99 (bare start) | GET /v1/alerts/{id}: p99 | GET /v1/alerts (list): p99 |',
    '| --- | --- | --- | --- | --- | --- |',
    ...curve.map((p) => row([String(p.open_alerts), `${p.worker_rss_mb} MB`, `${p.api_rss_mb} MB`, `${p.ingest_p99_ms} ms (${p.bare_start_p99_ms} ms)`, `${p.get_p99_ms} ms`, `${p.list_p99_ms} ms`])),
    '',
  ];
}
