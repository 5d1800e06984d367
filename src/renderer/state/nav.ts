// Hash routing (#/editor/12) so a reload keeps the view and e2e tests can deep-link; the
// ?token= query of the web host is left untouched.
import { useSyncExternalStore } from 'react';

export const VIEWS = ['gallery', 'editor', 'train', 'batch', 'compare', 'reports', 'settings'] as const;
export type ViewId = (typeof VIEWS)[number];

export const VIEW_TITLES: Record<ViewId, string> = {
  gallery: 'Gallery',
  editor: 'Editor',
  train: 'Train',
  batch: 'Batch',
  compare: 'Compare',
  reports: 'Reports',
  settings: 'Settings',
};

export interface Route {
  view: ViewId;
  imageId: number | null;
}

export function parseHash(hash: string): Route {
  const [, view, id] = hash.replace(/^#/, '').split('/');
  const v = (VIEWS as readonly string[]).includes(view) ? (view as ViewId) : 'gallery';
  const n = Number(id);
  return { view: v, imageId: id && Number.isInteger(n) && n > 0 ? n : null };
}

let cached: { hash: string; route: Route } | null = null;
function snapshot(): Route {
  const hash = window.location.hash;
  if (!cached || cached.hash !== hash) cached = { hash, route: parseHash(hash) };
  return cached.route;
}

function subscribe(cb: () => void): () => void {
  window.addEventListener('hashchange', cb);
  return () => window.removeEventListener('hashchange', cb);
}

export function useRoute(): Route {
  return useSyncExternalStore(subscribe, snapshot, snapshot);
}

/** Go to a view; views that show one image remember the last image when none is given. */
export function navigate(view: ViewId, imageId?: number | null): void {
  const id = imageId ?? (view === 'editor' || view === 'compare' ? lastImage : null);
  if (imageId) lastImage = imageId;
  window.location.hash = id ? `#/${view}/${id}` : `#/${view}`;
}

let lastImage: number | null = null;
export function rememberImage(id: number): void {
  lastImage = id;
}
