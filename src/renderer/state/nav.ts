// Hash routing (#/editor/12) so a reload keeps the view and e2e tests can deep-link; the
// web host's ?token= query is moved out of the URL at start-up (api/session-token.ts).
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

// One hashchange listener in front of every subscriber: a move that did not come through
// navigate() (the browser's back/forward buttons, a typed address) is put back first and only
// replayed once the leave guard allows it, so back never drops unsaved edits unasked.
const listeners = new Set<() => void>();
let accepted: string | null = null;
function onHashChange(): void {
  const target = window.location.hash;
  if (accepted !== null && target !== accepted && guard) {
    const back = accepted;
    window.history.replaceState(null, '', back);
    const took = guard(() => {
      accepted = target;
      window.location.hash = target;
    });
    if (took) return;
    window.history.replaceState(null, '', target);
  }
  accepted = target;
  for (const cb of listeners) cb();
}

function subscribe(cb: () => void): () => void {
  if (listeners.size === 0) {
    accepted = window.location.hash;
    window.addEventListener('hashchange', onHashChange);
  }
  listeners.add(cb);
  return () => {
    listeners.delete(cb);
    if (listeners.size === 0) window.removeEventListener('hashchange', onHashChange);
  };
}

export function useRoute(): Route {
  return useSyncExternalStore(subscribe, snapshot, snapshot);
}

/**
 * A view with unsaved work (the editor) can intercept leaving it: the guard gets the move
 * and returns true when it took over (it asks the user, then calls `proceed` or not).
 */
export type LeaveGuard = (proceed: () => void) => boolean;
let guard: LeaveGuard | null = null;
export function setLeaveGuard(g: LeaveGuard): () => void {
  guard = g;
  return () => {
    if (guard === g) guard = null;
  };
}

/** Run `action` (a move away from the current view or image), after the leave guard allows it. */
export function leaveThen(action: () => void): void {
  if (guard && guard(action)) return;
  action();
}

/** Go to a view; views that show one image remember the last image when none is given. */
export function navigate(view: ViewId, imageId?: number | null): void {
  const id = imageId ?? (view === 'editor' || view === 'compare' ? lastImage : null);
  const hash = id ? `#/${view}/${id}` : `#/${view}`;
  if (hash === window.location.hash) return;
  leaveThen(() => {
    if (imageId) lastImage = imageId;
    accepted = hash;
    window.location.hash = hash;
  });
}

let lastImage: number | null = null;
export function rememberImage(id: number): void {
  lastImage = id;
}
