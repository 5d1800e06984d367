// The open project's image sequences (sequences.list), for the gallery's sequence tiles and
// filter. Refreshed on 'images-changed' (an import adds frames, a save labels one), at most
// one request in flight.
import { useEffect } from 'react';
import type { SequenceInfo } from '../../shared/domain';
import { api } from './api';
import { createStore, useStore } from './store';

interface SequencesState {
  projectPath: string | null;
  list: SequenceInfo[];
  byId: Map<number, SequenceInfo>;
}

const state = createStore<SequencesState>({ projectPath: null, list: [], byId: new Map() });
let started = false;
let inFlight = false;
let again = false;

async function reload(projectPath: string | null): Promise<void> {
  if (state.get().projectPath !== projectPath) state.set({ projectPath, list: [], byId: new Map() });
  if (!projectPath) return;
  if (inFlight) {
    again = true;
    return;
  }
  inFlight = true;
  try {
    const list = await api.call('sequences.list');
    if (state.get().projectPath === projectPath) state.set({ projectPath, list, byId: new Map(list.map((s) => [s.id, s])) });
  } catch {
    // A project without the sequences table cannot happen (migration 6); keep the old list.
  } finally {
    inFlight = false;
    if (again) {
      again = false;
      void reload(state.get().projectPath);
    }
  }
}

function start(): void {
  if (started) return;
  started = true;
  api.onEvent((e) => {
    if (e.type === 'images-changed') void reload(state.get().projectPath);
  });
}

/** Sequences of the project at `projectPath` (loaded when the path changes). */
export function useSequences(projectPath: string | null): SequencesState {
  useEffect(start, []);
  useEffect(() => {
    // Every frame mounts a new editor: load once per project, then follow images-changed.
    if (state.get().projectPath !== projectPath || state.get().list.length === 0) void reload(projectPath);
  }, [projectPath]);
  const s = useStore(state);
  return s.projectPath === projectPath ? s : EMPTY;
}
const EMPTY: SequencesState = { projectPath: null, list: [], byId: new Map() };
