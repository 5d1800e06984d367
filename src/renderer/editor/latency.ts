// Stroke latency meter: time from a pointer event (event.timeStamp) to the animation frame
// in which the painted pixels are drawn. Exposed as window.__hemaseg.latency() for e2e
// and benchmarks; shown in the editor with ?perf=1.

export interface LatencyStats {
  n: number;
  mean: number;
  p50: number;
  p95: number;
  max: number;
  /** Synchronous work in the handler (paint + colour + putImageData), mean ms. */
  handlerMean: number;
  handlerP95: number;
}

const frame: number[] = [];
const handler: number[] = [];
const LIMIT = 5000;

function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

export function recordLatency(frameMs: number, handlerMs: number): void {
  frame.push(frameMs);
  handler.push(handlerMs);
  if (frame.length > LIMIT) frame.shift();
  if (handler.length > LIMIT) handler.shift();
}

export function latencyStats(): LatencyStats {
  const f = [...frame].sort((a, b) => a - b);
  const h = [...handler].sort((a, b) => a - b);
  const mean = (a: number[]): number => (a.length ? a.reduce((x, y) => x + y, 0) / a.length : 0);
  return { n: f.length, mean: mean(f), p50: quantile(f, 0.5), p95: quantile(f, 0.95), max: f.at(-1) ?? 0, handlerMean: mean(h), handlerP95: quantile(h, 0.95) };
}

export function resetLatency(): void {
  frame.length = 0;
  handler.length = 0;
}

declare global {
  interface Window {
    __hemaseg?: { latency: () => LatencyStats; resetLatency: () => void };
  }
}

if (typeof window !== 'undefined') window.__hemaseg = { latency: latencyStats, resetLatency };

export function perfEnabled(): boolean {
  return typeof window !== 'undefined' && new URLSearchParams(window.location.search).has('perf');
}
