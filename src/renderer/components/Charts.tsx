// Thin React wrappers around chart.js: the chart is created once and updated in place
// (no animation) so live training curves stay cheap.
import {
  BarController, BarElement, CategoryScale, Chart, Filler, Legend, LinearScale, LineController, LineElement, PointElement, Tooltip, type ChartConfiguration,
} from 'chart.js';
import { useEffect, useRef } from 'react';

Chart.register(LineController, LineElement, PointElement, LinearScale, CategoryScale, BarController, BarElement, Legend, Tooltip, Filler);
Chart.defaults.font.family = getComputedStyle(document.documentElement).getPropertyValue('--font') || 'system-ui';
Chart.defaults.font.size = 11;
Chart.defaults.color = '#627084';

export const SERIES_COLORS = ['#2456c8', '#d9822b', '#1f8a4c', '#b0509a', '#0f9bb5', '#c23b32', '#7a5bd0', '#627084'];

export interface LineSeries {
  label: string;
  data: { x: number; y: number }[];
  color: string;
  dashed?: boolean;
  thin?: boolean;
  points?: boolean;
}

function useChart(config: () => ChartConfiguration, update: (chart: Chart) => void, deps: readonly unknown[]) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const chart = useRef<Chart | null>(null);
  useEffect(() => {
    if (!canvas.current) return;
    chart.current = new Chart(canvas.current, config());
    return () => {
      chart.current?.destroy();
      chart.current = null;
    };
    // The chart is created once; data changes go through `update`.
  }, []);
  useEffect(() => {
    if (chart.current) {
      update(chart.current);
      chart.current.update('none');
    }
  }, deps);
  return canvas;
}

export function LineChart(props: { series: LineSeries[]; xLabel: string; yLabel: string; xMin?: number; yMin?: number; yMax?: number; height?: number; testId?: string }) {
  const canvas = useChart(
    () => ({
      type: 'line',
      data: { datasets: [] },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        parsing: false,
        normalized: true,
        interaction: { mode: 'nearest', intersect: false },
        plugins: { legend: { position: 'bottom', labels: { boxWidth: 12, boxHeight: 2 } }, tooltip: { enabled: true } },
        scales: {
          x: { type: 'linear', min: props.xMin, title: { display: true, text: props.xLabel }, grid: { color: '#eef0f3' } },
          y: { type: 'linear', title: { display: true, text: props.yLabel }, min: props.yMin, max: props.yMax, grid: { color: '#eef0f3' } },
        },
      },
    }),
    (chart) => {
      chart.data.datasets = props.series.map((s) => ({
        label: s.label,
        data: s.data,
        borderColor: s.color,
        backgroundColor: s.color,
        borderWidth: s.thin ? 1 : 2,
        borderDash: s.dashed ? [5, 4] : undefined,
        pointRadius: s.points ? 2.5 : 0,
        tension: 0,
      }));
    },
    [props.series],
  );
  return (
    <div className="chart" style={{ height: props.height ?? 240 }} data-testid={props.testId}>
      <canvas ref={canvas} />
    </div>
  );
}

export function BarChart(props: { labels: string[]; series: { label: string; data: number[]; color: string }[]; xLabel: string; yLabel: string; height?: number; testId?: string }) {
  const canvas = useChart(
    () => ({
      type: 'bar',
      data: { labels: [], datasets: [] },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        plugins: { legend: { position: 'bottom', labels: { boxWidth: 12 } } },
        scales: {
          x: { title: { display: true, text: props.xLabel }, grid: { display: false } },
          y: { title: { display: true, text: props.yLabel }, beginAtZero: true, grid: { color: '#eef0f3' }, ticks: { precision: 0 } },
        },
      },
    }),
    (chart) => {
      chart.data.labels = props.labels;
      chart.data.datasets = props.series.map((s) => ({ label: s.label, data: s.data, backgroundColor: s.color, borderWidth: 0, barPercentage: 0.9, categoryPercentage: 0.9 }));
    },
    [props.labels, props.series],
  );
  return (
    <div className="chart" style={{ height: props.height ?? 220 }} data-testid={props.testId}>
      <canvas ref={canvas} />
    </div>
  );
}
