// The bench's charts: a readable scale, one bar per figure with its value, text escaped, and the
// charts a report's figures make.
import { barChartSvg, benchCharts, niceScale } from '../../bench/charts';
import type { Report } from '../../bench/report';

it('picks a scale of 1, 2 or 5 times a power of ten at or above the largest value', () => {
  expect(niceScale(43.7)).toEqual({ top: 50, step: 10 });
  expect(niceScale(1900)).toEqual({ top: 2000, step: 500 });
  expect(niceScale(0)).toEqual({ top: 1, step: 0.25 });
});

it('draws a bar per figure, labelled with its value, names and values escaped, described for screen readers', () => {
  const svg = barChartSvg({
    title: 'Throughput <dev>',
    unit: 'alerts/s',
    series: [
      { name: 'Herald', colour: '#000' },
      { name: 'bare & plain', colour: '#999' },
    ],
    groups: [
      { label: '1 destination', bars: [{ series: 'Herald', value: 24.7 }, { series: 'bare & plain', value: 43.7 }] },
      { label: '3 destinations', bars: [{ series: 'Herald', value: 19.2 }, { series: 'bare & plain', value: undefined }] },
    ],
  });
  expect(svg.match(/<rect x=/g)).toHaveLength(3 + 2); // three bars, two legend keys
  expect(svg).toContain('>24.7</text>');
  expect(svg).toContain('Throughput &lt;dev&gt;');
  expect(svg).toContain('<desc id="d">1 destination: Herald 24.7, bare &amp; plain 43.7; 3 destinations: Herald 19.2 (alerts/s)</desc>');
  expect(svg).not.toMatch(/<script/);
});

it('makes throughput, p99 and ingest charts per engine from the figures the report has', () => {
  const summary = (per_s: number, p99_ms: number) => ({ count: 100, per_s, p50_ms: 1, p99_ms, max_ms: p99_ms });
  const report = {
    machine: {},
    sizes: {},
    steps: ['e2e', 'ingest'],
    engines: [
      {
        engine: 'dev',
        label: 'dev server (temporal server start-dev, SQLite)',
        end_to_end: [{ case: '1 destination', herald: { ...summary(24.7, 1900), read_model: { sampled: 1, delivered: 1 } }, baseline: summary(43.7, 706), throughput_ratio: 0.57, p99_ratio: 2.69, http_ratio: 0.1 }],
        ingest: [{ load: '50/s', herald: { ...summary(49.4, 268), drained: { delivered: 1, expected: 1, seconds: 1 } }, baseline: { ...summary(49.6, 179), drained: { delivered: 1, expected: 1, seconds: 1 } } }],
        cpu_seconds: {},
        memory: { idle: {} },
      },
    ],
  } as unknown as Report;
  const charts = benchCharts(report);
  expect(charts.map((c) => c.name)).toEqual(['dev-end-to-end-throughput', 'dev-end-to-end-p99', 'dev-ingest-p99']);
  expect(charts[0]!.svg).toContain('End to end on the dev server: throughput');
  expect(charts[1]!.svg).toContain('>1,900</text>');
});

it('draws the routing step as one chart of p50 time per rule count, Herald beside the scan', () => {
  const times = (p50_us: number) => ({ p50_us, p99_us: p50_us * 2 });
  const report = {
    machine: {},
    sizes: {},
    steps: ['routing'],
    routing: [
      { rules: 10, herald: times(61), baseline: times(180), matched_per_alert: 1 },
      { rules: 1000, herald: times(95), baseline: times(6200), matched_per_alert: 15 },
    ],
    engines: [],
  } as unknown as Report;
  const charts = benchCharts(report);
  expect(charts.map((c) => c.name)).toEqual(['routing-p50']);
  expect(charts[0]!.svg).toContain('<desc id="d">10 rules: Herald (indexed) 61, scan of every rule 180; 1000 rules: Herald (indexed) 95, scan of every rule 6,200 (µs)</desc>');
});

it('draws the fanout and updates curves per engine, Herald beside the bare workflow at each size', () => {
  const side = (per_s: number, p99_ms: number, cpu: number) => ({ count: 50, per_s, p50_ms: 1, p99_ms, max_ms: p99_ms, worker_cpu_ms_per_alert: cpu, all_cpu_ms_per_alert: cpu * 3 });
  const updates = (ms: number, events: number) => ({ ms_per_update: ms, latency: { count: 10, per_s: 1, p50_ms: ms, p99_ms: ms, max_ms: ms }, deliveries: 10, history_events_per_update: events, history_events: events * 10, runs: 1 });
  const report = {
    machine: {},
    sizes: {},
    steps: ['fanout', 'updates'],
    engines: [
      {
        engine: 'dev',
        label: 'dev server (temporal server start-dev, SQLite)',
        fanout: [
          { destinations: 1, alerts: 50, concurrency: 16, herald: side(20, 900, 12), baseline: side(40, 400, 4) },
          { destinations: 30, alerts: 50, concurrency: 16, herald: side(2, 9000, 300), baseline: side(4, 4000, 90) },
        ],
        updates: { fixed_history_events: { herald: 30, baseline: 5 }, cases: [{ updates: 10, herald: updates(40, 6.5), baseline: updates(20, 7) }] },
        cpu_seconds: {},
        memory: { idle: {} },
      },
    ],
  } as unknown as Report;
  const charts = benchCharts(report);
  expect(charts.map((c) => c.name)).toEqual(['dev-fanout-throughput', 'dev-fanout-p99', 'dev-fanout-worker-cpu', 'dev-updates-time', 'dev-updates-history']);
  expect(charts[2]!.svg).toContain('<desc id="d">1 destination: Herald 12, bare workflow 4; 30 destinations: Herald 300, bare workflow 90 (ms)</desc>');
  expect(charts[4]!.svg).toContain('<desc id="d">10 updates: Herald 6.5, bare workflow (signal + activity) 7 (events)</desc>');
});
