// A time-series chart (uPlot: made for time series, canvas-drawn, 22 KB gzipped against Chart.js's
// 71 KB; README "Operator console"), with the same numbers as a table for screen readers and for
// anyone who wants the figures.
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export type Series = { label: string; values: (number | null)[]; colour: string };

export function TimeChart({ title, times, series, unit }: { title: string; times: number[]; series: Series[]; unit: string }) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const target = box.current;
    if (!target) return;
    const chart = new uPlot(
      {
        width: Math.max(320, target.clientWidth),
        height: 220,
        // Points as well as lines: a lone bucket between empty ones has no line to draw.
        series: [{}, ...series.map((s) => ({ label: s.label, stroke: s.colour, width: 2, spanGaps: false, points: { show: true, size: 5 } }))],
        axes: [{}, { label: unit }],
        scales: { x: { time: true } },
      },
      [times.map((t) => t / 1000), ...series.map((s) => s.values)],
      target,
    );
    return () => chart.destroy();
  }, [times, series, unit]);
  const id = title.toLowerCase().replace(/[^a-z0-9]+/g, '-');
  return (
    <figure class="chart" aria-labelledby={`${id}-title`} data-points={times.length}>
      <figcaption id={`${id}-title`}>{title}</figcaption>
      <div ref={box} aria-hidden="true" />
      <details>
        <summary>The figures</summary>
        <table class="list compact">
          <caption class="visually-hidden">{title}</caption>
          <thead>
            <tr>
              <th scope="col">From</th>
              {series.map((s) => (
                <th key={s.label} scope="col">
                  {s.label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {times.map((t, i) => (
              <tr key={t}>
                <th scope="row">{new Date(t).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })}</th>
                {series.map((s) => (
                  <td key={s.label}>{s.values[i] ?? '–'}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
