// Training curves streamed as 'train-point' events, kept per job for the whole app
// session so the Train view shows a run's full curves even after visiting other views.
import { useEffect } from 'react';
import type { TrainPoint } from '../../shared/ml';
import { api } from './api';
import { createStore, useStore } from './store';

const points = createStore<Record<string, TrainPoint[]>>({});
let started = false;
let pending: Record<string, TrainPoint[]> = {};
let scheduled = false;

/** Start collecting (called once from the app shell). */
export function startTrainCollector(): void {
  if (started) return;
  started = true;
  api.onEvent((e) => {
    if (e.type !== 'train-point') return;
    (pending[e.jobId] ??= []).push(e.point);
    // Step points can arrive many times a second: publish at most once per frame.
    if (!scheduled) {
      scheduled = true;
      const flush = (): void => {
        scheduled = false;
        const batch = pending;
        pending = {};
        points.set((prev) => {
          const next = { ...prev };
          for (const [id, list] of Object.entries(batch)) next[id] = [...(prev[id] ?? []), ...list];
          return next;
        });
      };
      if (typeof requestAnimationFrame === 'function') requestAnimationFrame(flush);
      else setTimeout(flush, 16);
    }
  });
}

export function useTrainPoints(jobId: string | null): TrainPoint[] {
  useEffect(startTrainCollector, []);
  const all = useStore(points);
  return jobId ? (all[jobId] ?? EMPTY) : EMPTY;
}
const EMPTY: TrainPoint[] = [];
