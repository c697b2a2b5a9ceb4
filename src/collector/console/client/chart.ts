// Charts through uPlot (canvas): bars per day or per row, with a y axis that starts at 0 so a
// bar's height is its value. Every chart is kept in `charts` by name, and exposed on
// window.shoptrailConsole for tests and for anyone checking a figure in the devtools.
import uPlot from 'uplot';
import { h } from './dom';

export const charts = new Map<string, uPlot>();
const observers: ResizeObserver[] = [];
(window as unknown as { shoptrailConsole: unknown }).shoptrailConsole = { charts };

const COLORS = ['#1d5c4d', '#c2571a', '#3b6fb6', '#8a4fa3'];

export interface BarSeries {
  label: string;
  values: Array<number | null>;
}

export interface BarChartSpec {
  name: string;
  title: string;
  /** x labels: days "YYYY-MM-DD" (a time axis) or categories. */
  x: string[];
  series: BarSeries[];
  /** A horizontal reference line (the even daily pace of the allowance). */
  reference?: { label: string; value: number };
  height?: number;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
/** "5 Mar" for a day's UTC midnight, in seconds. */
const dayLabel = (t: number) => {
  const d = new Date(t * 1000);
  return `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]}`;
};

const isDays = (x: string[]) => x.every((d) => /^\d{4}-\d{2}-\d{2}$/.test(d));

/** A bar chart in a figure with its title; redrawn to its container's width. */
export const barChart = (spec: BarChartSpec): HTMLElement => {
  const holder = h('div', { class: 'chart', 'data-chart': spec.name });
  const figure = h('figure', { 'aria-label': spec.title }, h('figcaption', {}, spec.title), holder);
  const days = isDays(spec.x);
  const xs = spec.x.map((x, i) => (days ? Date.parse(x) / 1000 : i));
  const data: uPlot.AlignedData = [xs, ...spec.series.map((s) => s.values), ...(spec.reference ? [spec.x.map(() => spec.reference!.value)] : [])];
  // One series: bars. Several (channels): lines with points, since uPlot's bars of several
  // series share one slot and would hide each other.
  const grouped = spec.series.length > 1;
  const bars = uPlot.paths.bars!({ size: [0.7, 48], align: 0 });
  const max = Math.max(1, spec.reference?.value ?? 0, ...spec.series.flatMap((s) => s.values.map((v) => v ?? 0)));
  const opts = (width: number): uPlot.Options => ({
    width,
    height: spec.height ?? 240,
    tzDate: (ts) => uPlot.tzDate(new Date(ts * 1e3), 'Etc/UTC'),
    scales: {
      x: days ? { time: true, range: (_u, lo, hi) => [lo - 43200, hi + 43200] } : { time: false, range: (_u, lo, hi) => [lo - 0.6, hi + 0.6] },
      // The honest axis: from 0, to a little above the largest bar or the reference line.
      y: { range: () => [0, Math.ceil(max * 1.1)] },
    },
    axes: [
      days
        ? { values: (_u, ticks) => ticks.map((t) => dayLabel(t)) }
        : { values: (_u, ticks) => ticks.map((t) => (Number.isInteger(t) ? (spec.x[t] ?? '') : '')), splits: () => xs },
      { size: 56, values: (_u, ticks) => ticks.map((t) => t.toLocaleString('en-US')) },
    ],
    legend: { live: true },
    series: [
      { label: days ? 'Day' : 'Row', value: (_u, v) => (v === null ? '—' : days ? new Date(v * 1000).toISOString().slice(0, 10) : (spec.x[v] ?? '')) },
      ...spec.series.map((s, i) => ({
        label: s.label,
        stroke: COLORS[i % COLORS.length],
        ...(grouped
          ? { width: 2, points: { show: true, size: 6, fill: COLORS[i % COLORS.length] } }
          : { fill: COLORS[i % COLORS.length], paths: bars, points: { show: false } }),
        value: (_u: uPlot, v: number | null) => (v === null ? '—' : v.toLocaleString('en-US')),
      })),
      ...(spec.reference ? [{ label: spec.reference.label, stroke: '#b3261e', dash: [6, 4], width: 2, points: { show: false } }] : []),
    ],
  });
  // Drawn once the figure is in the page, at its width; redrawn when the width changes.
  let plot: uPlot | undefined;
  const observer = new ResizeObserver(([entry]) => {
    const width = Math.floor(entry!.contentRect.width);
    if (width < 50) return;
    if (!plot) {
      plot = new uPlot(opts(width), data, holder);
      charts.set(spec.name, plot);
    } else if (plot.width !== width) plot.setSize({ width, height: spec.height ?? 240 });
  });
  observer.observe(holder);
  observers.push(observer);
  return figure;
};

/** Forget the charts of a page that is being left. */
export const clearCharts = () => {
  for (const observer of observers.splice(0)) observer.disconnect();
  for (const plot of charts.values()) plot.destroy();
  charts.clear();
};
