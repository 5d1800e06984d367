// Running and finished jobs, kept current from 'job' events (plus one jobs.list on start).
import { useEffect } from 'react';
import type { JobInfo } from '../../shared/api';
import { api } from './api';
import { createStore, useStore } from './store';

const jobs = createStore<Record<string, JobInfo>>({});
let started = false;

function start(): void {
  if (started) return;
  started = true;
  api.onEvent((e) => {
    if (e.type === 'job') jobs.set((prev) => ({ ...prev, [e.job.id]: e.job }));
  });
  api.call('jobs.list').then(
    (list) => jobs.set((prev) => ({ ...Object.fromEntries(list.map((j) => [j.id, j])), ...prev })),
    () => undefined,
  );
}

export function useJobs(): JobInfo[] {
  useEffect(start, []);
  const all = useStore(jobs);
  return Object.values(all).sort((a, b) => b.startedAt.localeCompare(a.startedAt));
}

export function useJob(id: string | null): JobInfo | null {
  useEffect(start, []);
  const all = useStore(jobs);
  return id ? (all[id] ?? null) : null;
}

/** Remember a job as soon as it is started so the view shows it before the first event. */
export function noteJobStarted(id: string, kind: JobInfo['kind'], title: string): void {
  start();
  jobs.set((prev) =>
    prev[id]
      ? prev
      : {
          ...prev,
          [id]: { id, kind, title, status: 'running', done: 0, total: 0, message: null, startedAt: new Date().toISOString(), finishedAt: null, error: null, result: null },
        },
  );
}

export function jobFraction(j: JobInfo): number | null {
  return j.total > 0 ? Math.min(1, j.done / j.total) : null;
}
