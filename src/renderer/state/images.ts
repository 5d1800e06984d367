// All image summaries of the open project, kept in one store (10,000 summaries are a few
// MB; filtering and sorting client-side keeps the gallery instant). Updated in place on
// 'images-changed' events.
import { useEffect } from 'react';
import type { ImageSummary } from '../../shared/domain';
import { api, errorText } from './api';
import { createStore, useStore } from './store';

interface ImagesState {
  projectPath: string | null;
  images: ImageSummary[];
  byId: Map<number, ImageSummary>;
  loading: boolean;
  error: string | null;
  /** Bumped on every change so tiles can refetch overlays. */
  revision: number;
  /** Per-image revision, for cache-busting overlays of changed images only. */
  changed: Map<number, number>;
}

const state = createStore<ImagesState>({ projectPath: null, images: [], byId: new Map(), loading: false, error: null, revision: 0, changed: new Map() });
let started = false;

function withImages(s: ImagesState, images: ImageSummary[]): ImagesState {
  return { ...s, images, byId: new Map(images.map((i) => [i.id, i])), loading: false, error: null, revision: s.revision + 1 };
}

export async function reloadImages(projectPath: string | null): Promise<void> {
  // Another project: drop the old summaries at once, or tiles of the old project would ask
  // the new one for thumbnails it does not have (404s) until the new list arrives.
  state.set((s) => (s.projectPath === projectPath ? { ...s, loading: true } : { ...s, projectPath, loading: true, images: [], byId: new Map(), changed: new Map(), revision: s.revision + 1 }));
  if (!projectPath) {
    state.set((s) => withImages(s, []));
    return;
  }
  try {
    const images = await api.call('images.list', {});
    if (state.get().projectPath === projectPath) state.set((s) => withImages(s, images));
  } catch (e) {
    state.set((s) => ({ ...s, loading: false, error: errorText(e) }));
  }
}

async function refreshIds(ids: number[]): Promise<void> {
  if (ids.length === 0) return;
  const fresh = await api.call('images.list', { ids });
  state.set((s) => {
    const byId = new Map(s.byId);
    const changed = new Map(s.changed);
    for (const img of fresh) {
      byId.set(img.id, img);
      changed.set(img.id, (changed.get(img.id) ?? 0) + 1);
    }
    // Keep import order; new images go at the end.
    const known = new Set(s.images.map((i) => i.id));
    const images = s.images.map((i) => byId.get(i.id) ?? i).concat(fresh.filter((i) => !known.has(i.id)));
    return { ...s, images, byId, changed, revision: s.revision + 1 };
  });
}

function start(): void {
  if (started) return;
  started = true;
  api.onEvent((e) => {
    if (e.type !== 'images-changed') return;
    const path = state.get().projectPath;
    if (e.ids === 'all') void reloadImages(path);
    else void refreshIds(e.ids).catch(() => reloadImages(path));
  });
}

/** Images of the project at `projectPath` (loads when the path changes). */
export function useImages(projectPath: string | null): ImagesState {
  useEffect(start, []);
  useEffect(() => {
    if (state.get().projectPath !== projectPath || state.get().images.length === 0) void reloadImages(projectPath);
  }, [projectPath]);
  const s = useStore(state);
  // Until the new project's list is asked for, show nothing rather than the old project's images.
  return s.projectPath === projectPath ? s : SWITCHING;
}
const SWITCHING: ImagesState = { projectPath: null, images: [], byId: new Map(), loading: true, error: null, revision: 0, changed: new Map() };

export function useImagesState(): ImagesState {
  useEffect(start, []);
  return useStore(state);
}

/** Apply a local change right away (the server confirms through images-changed). */
export function patchImages(ids: number[], patch: Partial<ImageSummary>): void {
  const set = new Set(ids);
  state.set((s) => withImages(s, s.images.map((i) => (set.has(i.id) ? { ...i, ...patch } : i))));
}

/** The order the user is browsing in (the gallery's filtered, sorted list) for next/previous. */
const order = createStore<number[]>([]);
export const browseOrder = order;
export function useBrowseOrder(): number[] {
  return useStore(order);
}
