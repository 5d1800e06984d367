// The open project (or null) and the app info, refreshed on 'project-changed'.
import { useEffect } from 'react';
import type { AppInfo, ProjectInfo } from '../../shared/api';
import { api } from './api';
import { setMediaProject } from './media';
import { createStore, useStore } from './store';

interface ProjectState {
  loaded: boolean;
  project: ProjectInfo | null;
  app: AppInfo | null;
  error: string | null;
}

const state = createStore<ProjectState>({ loaded: false, project: null, app: null, error: null });
let openPath: string | null | undefined;
const pathListeners = new Set<(path: string | null) => void>();
state.subscribe(() => {
  const path = state.get().project?.path ?? null;
  if (path !== openPath) {
    openPath = path;
    setMediaProject(path);
    pathListeners.forEach((l) => l(path));
  }
});

/** Run `listener` whenever another project is opened (views reset per-project state). */
export function onProjectChange(listener: (path: string | null) => void): void {
  pathListeners.add(listener);
}
let started = false;

export async function refreshProject(): Promise<void> {
  try {
    const project = await api.call('project.current');
    state.set((s) => ({ ...s, loaded: true, project, error: null }));
  } catch (e) {
    state.set((s) => ({ ...s, loaded: true, error: e instanceof Error ? e.message : String(e) }));
  }
}

export function currentProject(): ProjectInfo | null {
  return state.get().project;
}

export function setProject(project: ProjectInfo | null): void {
  state.set((s) => ({ ...s, loaded: true, project }));
}

function start(): void {
  if (started) return;
  started = true;
  void refreshProject();
  api.call('app.info').then(
    (app) => state.set((s) => ({ ...s, app })),
    () => undefined,
  );
  api.onEvent((e) => {
    if (e.type === 'project-changed') void refreshProject();
    // Counts in the project info change with imports and saves; refresh quietly.
    if (e.type === 'images-changed') void refreshProject();
    if (e.type === 'job' && e.job.kind === 'train' && e.job.status !== 'running') {
      api.call('app.info').then((app) => state.set((s) => ({ ...s, app })), () => undefined);
    }
  });
}

export function useProjectState(): ProjectState {
  useEffect(start, []);
  return useStore(state);
}
