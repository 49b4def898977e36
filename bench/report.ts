// The figures as a table on stdout (the same rows the README's Performance section shows).
import type { Summary } from './stats';

export type Report = {
  machine: Record<string, string | number>;
  sizes: Record<string, number>;
  end_to_end: Array<{ case: string; herald: Summary; baseline: Summary; throughput_ratio: number; p99_ratio: number; http_ratio: number }>;
  http_baseline: Summary;
  ingest: Array<{ load: string; herald: Summary; baseline: Summary }>;
  scale: {
    open_alerts: number;
    open_seconds: number;
    worker_rss_mb: number;
    api_rss_mb: number;
    worker_rss_after_resolve_mb: number;
    trigger_while_open: Summary;
    get_while_open: Summary;
    resolve_all_seconds: number;
    resolves_per_s: number;
  };
  memory: { idle: Record<string, number>; peak_under_load: Record<string, number> };
};

const row = (cells: Array<string | number>) => `| ${cells.join(' | ')} |`;
const fig = (s: Summary) => `${s.per_s}/s, p50 ${s.p50_ms} ms, p99 ${s.p99_ms} ms${s.errors ? `, ${s.errors} failed` : ''}`;

export function printReport(r: Report): void {
  const lines = [
    `Machine: ${r.machine.cpus} × ${r.machine.cpu}, ${r.machine.memory_gb} GiB, ${r.machine.platform}, Node ${r.machine.node}`,
    '',
    '| End to end (trigger → first webhook) | Herald | bare Temporal workflow | Herald ÷ Temporal (throughput, p99) | Herald ÷ bare HTTP loop (throughput) |',
    '|---|---|---|---|---|',
    ...r.end_to_end.map((e) => row([e.case, fig(e.herald), fig(e.baseline), `${e.throughput_ratio}×, ${e.p99_ratio}×`, `${e.http_ratio}× (loop: ${r.http_baseline.per_s}/s)`])),
    '',
    '| Ingest (POST /v1/alerts → 202) | Herald | bare workflow start |',
    '|---|---|---|',
    ...r.ingest.map((i) => row([i.load, fig(i.herald), fig(i.baseline)])),
    '',
    '| Scale | |',
    '|---|---|',
    row([`${r.scale.open_alerts} open alerts`, `opened and delivered in ${r.scale.open_seconds} s`]),
    row(['worker RSS while open', `${r.scale.worker_rss_mb} MB (after resolving all: ${r.scale.worker_rss_after_resolve_mb} MB)`]),
    row(['api RSS while open', `${r.scale.api_rss_mb} MB`]),
    row(['POST /v1/alerts at 100/s while open', fig(r.scale.trigger_while_open)]),
    row(['GET /v1/alerts/{id} at 100/s while open', fig(r.scale.get_while_open)]),
    row(['resolve all', `${r.scale.resolve_all_seconds} s (${r.scale.resolves_per_s}/s, every resolve delivered)`]),
    '',
    '| Memory (RSS) | idle | peak under end-to-end load |',
    '|---|---|---|',
    row(['herald api', `${r.memory.idle.api_mb} MB`, `${r.memory.peak_under_load['herald api']} MB`]),
    row(['herald worker', `${r.memory.idle.worker_mb} MB`, `${r.memory.peak_under_load['herald worker']} MB`]),
    row(['baseline worker', '', `${r.memory.peak_under_load['baseline worker']} MB`]),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}
