// The bench as pictures: grouped bar charts (SVG, no script, readable without the JSON) of each
// engine's end-to-end throughput and p99, its ingest p99 and its cost curves (fan-out, updates),
// Herald beside its baseline from the same run. Pure: a report in, SVG text out; run.ts writes them beside the JSON.
import type { Report } from './report';

type Bar = { series: string; value: number | undefined };
type Group = { label: string; bars: Bar[] };
export type BarChart = { title: string; unit: string; series: { name: string; colour: string }[]; groups: Group[] };

const HERALD = '#1a56c4';
const BASELINE = '#8c959f';
const BEFORE = '#9ec1f5'; // Herald as it was before a change, beside it
const W = 640;
const H = 320;
const PAD = { left: 64, right: 16, top: 48, bottom: 56 };

const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const fmt = (n: number) => (n >= 100 ? Math.round(n).toLocaleString('en-US') : String(Math.round(n * 10) / 10));

/** A scale's top and step: 1, 2 or 5 × a power of ten, four to eight steps. */
export function niceScale(max: number): { top: number; step: number } {
  if (!(max > 0)) return { top: 1, step: 0.25 };
  const rough = max / 5;
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= rough)!;
  return { top: Math.ceil(max / step) * step, step };
}

export function barChartSvg(chart: BarChart): string {
  const values = chart.groups.flatMap((g) => g.bars.map((b) => b.value ?? 0));
  const { top, step } = niceScale(Math.max(0, ...values));
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const y = (v: number) => PAD.top + plotH - (v / top) * plotH;
  const groupW = plotW / Math.max(1, chart.groups.length);
  const barW = Math.min(48, (groupW * 0.7) / chart.series.length);
  const parts: string[] = [];
  for (let v = 0; v <= top + step / 2; v += step) {
    parts.push(`<line x1="${PAD.left}" x2="${W - PAD.right}" y1="${y(v)}" y2="${y(v)}" stroke="#d0d7de"/>`);
    parts.push(`<text x="${PAD.left - 6}" y="${y(v) + 4}" text-anchor="end" font-size="11">${fmt(v)}</text>`);
  }
  chart.groups.forEach((group, gi) => {
    const start = PAD.left + gi * groupW + (groupW - barW * chart.series.length) / 2;
    chart.series.forEach((series, si) => {
      const value = group.bars.find((b) => b.series === series.name)?.value;
      if (value === undefined) return;
      const x = start + si * barW;
      parts.push(`<rect x="${x + 2}" y="${y(value)}" width="${barW - 4}" height="${PAD.top + plotH - y(value)}" fill="${series.colour}"><title>${escape(`${group.label}, ${series.name}: ${fmt(value)} ${chart.unit}`)}</title></rect>`);
      parts.push(`<text x="${x + barW / 2}" y="${y(value) - 4}" text-anchor="middle" font-size="11">${fmt(value)}</text>`);
    });
    parts.push(`<text x="${PAD.left + gi * groupW + groupW / 2}" y="${H - PAD.bottom + 18}" text-anchor="middle" font-size="12">${escape(group.label)}</text>`);
  });
  const legend = chart.series
    .map((s, i) => `<rect x="${PAD.left + i * 170}" y="${H - 20}" width="12" height="12" fill="${s.colour}"/><text x="${PAD.left + i * 170 + 18}" y="${H - 10}" font-size="12">${escape(s.name)}</text>`)
    .join('');
  const description = chart.groups.map((g) => `${g.label}: ${g.bars.filter((b) => b.value !== undefined).map((b) => `${b.series} ${fmt(b.value!)}`).join(', ')}`).join('; ');
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-labelledby="t d" font-family="system-ui, sans-serif" fill="#1d1d1f">`,
    `<title id="t">${escape(chart.title)}</title><desc id="d">${escape(`${description} (${chart.unit})`)}</desc>`,
    `<rect width="${W}" height="${H}" fill="#fff"/>`,
    `<text x="${PAD.left}" y="24" font-size="15" font-weight="600">${escape(chart.title)}</text>`,
    `<text x="16" y="${PAD.top + plotH / 2}" font-size="11" transform="rotate(-90 16 ${PAD.top + plotH / 2})" text-anchor="middle">${escape(chart.unit)}</text>`,
    ...parts,
    legend,
    '</svg>',
    '',
  ].join('\n');
}

/** "dev server (temporal server start-dev, SQLite)" → "dev server". */
const short = (label: string) => label.split(' (')[0]!;

/** Every chart the report has figures for, named `<engine>-<what>`. */
export function benchCharts(report: Report): { name: string; svg: string }[] {
  const charts: { name: string; svg: string }[] = [];
  if (report.routing?.length) {
    const series = [
      { name: 'Herald (indexed)', colour: HERALD },
      { name: 'scan of every rule', colour: BASELINE },
    ];
    const groups = report.routing.map((c) => ({ label: `${c.rules} rules`, bars: [{ series: series[0]!.name, value: c.herald.p50_us }, { series: series[1]!.name, value: c.baseline.p50_us }] }));
    charts.push({ name: 'routing-p50', svg: barChartSvg({ title: 'Routing one alert on SQLite: p50 time', unit: 'µs', series, groups }) });
  }
  for (const e of report.engines) {
    const pair = (herald: string, baseline: string) => [
      { name: herald, colour: HERALD },
      { name: baseline, colour: BASELINE },
    ];
    if (e.end_to_end?.length) {
      const before = 'Herald, first attempts scheduled';
      const series = [...pair('Herald', 'bare workflow'), ...(e.end_to_end.some((c) => c.herald_first_attempts_scheduled) ? [{ name: before, colour: BEFORE }] : [])];
      const groups = (pick: (s: { per_s: number; p99_ms: number }) => number) =>
        e.end_to_end!.map((c) => ({
          label: c.case,
          bars: [{ series: 'Herald', value: pick(c.herald) }, { series: 'bare workflow', value: pick(c.baseline) }, ...(c.herald_first_attempts_scheduled ? [{ series: before, value: pick(c.herald_first_attempts_scheduled) }] : [])],
        }));
      charts.push({ name: `${e.engine}-end-to-end-throughput`, svg: barChartSvg({ title: `End to end on the ${short(e.label)}: throughput`, unit: 'alerts/s', series, groups: groups((s) => s.per_s) }) });
      charts.push({ name: `${e.engine}-end-to-end-p99`, svg: barChartSvg({ title: `End to end on the ${short(e.label)}: p99 latency`, unit: 'ms', series, groups: groups((s) => s.p99_ms) }) });
    }
    if (e.ingest?.length) {
      const series = pair('Herald', 'bare start');
      const groups = e.ingest.map((i) => ({ label: i.load, bars: [{ series: 'Herald', value: i.herald.p99_ms }, { series: 'bare start', value: i.baseline.p99_ms }] }));
      charts.push({ name: `${e.engine}-ingest-p99`, svg: barChartSvg({ title: `Ingest on the ${short(e.label)}: p99 latency`, unit: 'ms', series, groups }) });
    }
    if (e.fanout?.length) {
      const series = pair('Herald', 'bare workflow');
      const groups = (pick: (s: NonNullable<typeof e.fanout>[number]['herald']) => number) =>
        e.fanout!.map((c) => ({ label: `${c.destinations} destination${c.destinations === 1 ? '' : 's'}`, bars: [{ series: 'Herald', value: pick(c.herald) }, { series: 'bare workflow', value: pick(c.baseline) }] }));
      const on = `to every destination on the ${short(e.label)}`;
      charts.push({ name: `${e.engine}-fanout-throughput`, svg: barChartSvg({ title: `Fan-out ${on}: throughput`, unit: 'alerts/s', series, groups: groups((s) => s.per_s) }) });
      charts.push({ name: `${e.engine}-fanout-p99`, svg: barChartSvg({ title: `Fan-out ${on}: p99 latency`, unit: 'ms', series, groups: groups((s) => s.p99_ms) }) });
      charts.push({ name: `${e.engine}-fanout-worker-cpu`, svg: barChartSvg({ title: `Fan-out on the ${short(e.label)}: worker CPU per alert`, unit: 'ms', series, groups: groups((s) => s.worker_cpu_ms_per_alert) }) });
    }
    if (e.scale_curve && e.scale_curve.length > 1) {
      const label = (n: number) => `${n.toLocaleString('en')} open`;
      const memory = [{ name: 'worker', colour: HERALD }, { name: 'API', colour: BEFORE }];
      charts.push({
        name: `${e.engine}-open-alerts-memory`,
        svg: barChartSvg({ title: `Open alerts on the ${short(e.label)}: RSS with all open`, unit: 'MB', series: memory, groups: e.scale_curve.map((p) => ({ label: label(p.open_alerts), bars: [{ series: 'worker', value: p.worker_rss_mb }, { series: 'API', value: p.api_rss_mb }] })) }),
      });
      const latency = [{ name: 'POST /v1/alerts at 100/s', colour: HERALD }, { name: 'bare start at 100/s', colour: BASELINE }, { name: 'GET /v1/alerts/{id}', colour: BEFORE }];
      charts.push({
        name: `${e.engine}-open-alerts-p99`,
        svg: barChartSvg({
          title: `Open alerts on the ${short(e.label)}: p99 while open`,
          unit: 'ms',
          series: latency,
          groups: e.scale_curve.map((p) => ({ label: label(p.open_alerts), bars: [{ series: latency[0]!.name, value: p.ingest_p99_ms }, { series: latency[1]!.name, value: p.bare_start_p99_ms }, { series: latency[2]!.name, value: p.get_p99_ms }] })),
        }),
      });
    }
    if (e.updates?.cases.length) {
      const series = pair('Herald', 'bare workflow (signal + activity)');
      const groups = (pick: (s: NonNullable<typeof e.updates>['cases'][number]['herald']) => number) =>
        e.updates!.cases.map((c) => ({ label: `${c.updates} updates`, bars: [{ series: 'Herald', value: pick(c.herald) }, { series: 'bare workflow (signal + activity)', value: pick(c.baseline) }] }));
      charts.push({ name: `${e.engine}-updates-time`, svg: barChartSvg({ title: `Updates to one alert on the ${short(e.label)}: time per update`, unit: 'ms', series, groups: groups((s) => s.ms_per_update) }) });
      charts.push({ name: `${e.engine}-updates-history`, svg: barChartSvg({ title: `Updates to one alert on the ${short(e.label)}: history events per update`, unit: 'events', series, groups: groups((s) => s.history_events_per_update) }) });
    }
  }
  return charts;
}
