// The gallery's keyboard, from the action registry: previous/next image (arrows, A/D) move
// the selection, Alt+1..8 set the difficulty of the selection, Shift+R / Shift+D its review
// state, X hides the mask overlays, Enter opens the editor.
import { useMemo, useRef } from 'react';
import type { DifficultyClass, ReviewState, Split } from '../../../shared/domain';
import type { GalleryContext } from '../../keys/registry';
import { useKeyActions } from '../../keys/use-key-actions';
import { api, errorText } from '../../state/api';
import { browseOrder, patchImages } from '../../state/images';
import { navigate } from '../../state/nav';
import { usePreferences } from '../../state/preferences';
import type { OverlayChoice } from '../../state/overlays';

export interface GalleryKeyOptions {
  selected(): { ids: Set<number>; anchor: number | null };
  select(ids: Set<number>, anchor: number | null): void;
  overlay: OverlayChoice;
  setOverlay(o: OverlayChoice): void;
  toggleOutline(): void;
  onFocus(id: number): void;
  onNote(text: string): void;
  toggleHelp(): void;
  helpOpen: boolean;
  /** Tile keys in grid order when it differs from browseOrder (a sequence is one tile). */
  tileOrder?(): number[];
  /** Image ids a tile selects (a sequence tile: its frames). */
  membersOf?(id: number): number[];
  /** Open a tile that is not one image (a sequence); true when it did. */
  openTile?(id: number): boolean;
}

/** Apply a change to the selected images (none selected: nothing, with a hint). */
async function onSelection(ids: number[], what: string, change: () => Promise<unknown>, note: (t: string) => void): Promise<void> {
  if (ids.length === 0) {
    note('Select images first (click a tile, or use the arrow keys).');
    return;
  }
  try {
    await change();
    note(`${what}: ${ids.length} image${ids.length === 1 ? '' : 's'}`);
  } catch (e) {
    note(`Failed: ${errorText(e)}`);
  }
}

export function useGalleryKeys(o: GalleryKeyOptions): void {
  const prefs = usePreferences();
  const ref = useRef(o);
  ref.current = o;
  const lastOverlay = useRef<OverlayChoice>('auto');
  const ctx = useMemo<GalleryContext>(() => {
    const ids = (): number[] => {
      const sel = ref.current.selected().ids;
      return browseOrder.get().filter((id) => sel.has(id));
    };
    const step = (dir: 1 | -1): void => {
      // Arrow keys move tile by tile: a sequence tile is one step, selecting its frames.
      const order = ref.current.tileOrder?.() ?? browseOrder.get();
      if (order.length === 0) return;
      const { anchor } = ref.current.selected();
      const idx = anchor !== null ? order.indexOf(anchor) : -1;
      const next = idx < 0 ? order[dir > 0 ? 0 : order.length - 1] : order[Math.max(0, Math.min(order.length - 1, idx + dir))];
      ref.current.select(new Set(ref.current.membersOf?.(next) ?? [next]), next);
      ref.current.onFocus(next);
    };
    return {
      scope: 'gallery',
      next: () => step(1),
      previous: () => step(-1),
      setDifficulty: (d: DifficultyClass | null) => {
        const list = ids();
        void onSelection(list, `Difficulty ${d ?? 'cleared'}`, () => api.call('images.update', { ids: list, difficulty: d }).then(() => patchImages(list, { difficulty: d })), ref.current.onNote);
      },
      setSplit: (s: Split) => {
        const list = ids();
        void onSelection(list, `Split ${s}`, () => api.call('images.update', { ids: list, split: s }).then(() => patchImages(list, { split: s })), ref.current.onNote);
      },
      setReview: (r: ReviewState) => {
        const list = ids();
        void onSelection(list, `Marked ${r}`, () => api.call('images.setReview', { ids: list, review: r }).then(() => patchImages(list, { review: r })), ref.current.onNote);
      },
      toggleOverlay: () => {
        const cur = ref.current.overlay;
        if (cur !== 'none') lastOverlay.current = cur;
        ref.current.setOverlay(cur === 'none' ? lastOverlay.current : 'none');
      },
      toggleOutline: () => ref.current.toggleOutline(),
      toggleHelp: () => ref.current.toggleHelp(),
      open: () => {
        const { anchor } = ref.current.selected();
        if (anchor !== null && ref.current.openTile?.(anchor)) return;
        const list = ids();
        if (list.length) navigate('editor', list[0]);
      },
      selectAll: () => ref.current.select(new Set(browseOrder.get()), null),
      clearSelection: () => ref.current.select(new Set(), null),
    };
  }, []);
  useKeyActions(ctx, prefs.shortcutPreset, { helpOpen: o.helpOpen });
}
