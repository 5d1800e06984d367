// The gallery: filters on the left, the virtualized grid, a bulk bar for the selection,
// and the import dialog. Its filtered, sorted order is what next/previous walk in the editor.
// A sequence is one tile; opening it filters the gallery to its frames (entries.ts).
import { useCallback, useEffect, useMemo, useState, type DragEvent, type MouseEvent } from 'react';
import type { ImageSummary } from '../../../shared/domain';
import { metricByImage, metricNames } from '../../../shared/core/summary';
import { browseOrder, useImages } from '../../state/images';
import { navigate, useRoute } from '../../state/nav';
import { onProjectChange, useProjectState } from '../../state/project';
import { createStore, useStore } from '../../state/store';
import { evaluationLabel, useEvaluationRows, useEvaluations } from '../../state/evaluations';
import type { OverlayChoice } from '../../state/overlays';
import { BulkBar } from './BulkBar';
import { arrange, EMPTY_FILTER, nextSelection, type GalleryFilter, type SortKey } from './filter';
import { countImages, FilterPanel } from './FilterPanel';
import { GalleryGrid } from './GalleryGrid';
import { ImportDialog } from './ImportDialog';
import { toggleTileMaskStyle } from './mask-style';
import { useGalleryKeys } from './useGalleryKeys';
import { browseIds, entryIds, galleryEntries, type GalleryEntry } from './entries';
import { useSequences } from '../../state/sequences';
import { ShortcutHelp } from '../editor/ShortcutHelp';
import { usePreferences } from '../../state/preferences';
import { useTransient } from '../../state/transient';

/** Host path of a dropped file (desktop only: the preload bridge resolves it). */
function droppedPath(file: File): string | null {
  try {
    return window.hemaseg?.pathForFile?.(file) || null;
  } catch {
    return null;
  }
}

interface GalleryPrefs {
  filter: GalleryFilter;
  sort: SortKey;
  overlay: OverlayChoice;
  tileSize: number;
  evalId: number | null;
}

// Module-level so the gallery comes back as the user left it after visiting the editor.
const prefs = createStore<GalleryPrefs>({ filter: EMPTY_FILTER, sort: { by: 'import' }, overlay: 'auto', tileSize: 150, evalId: null });
const selection = createStore<{ ids: Set<number>; anchor: number | null }>({ ids: new Set(), anchor: null });
// Selection and the chosen evaluation belong to one project.
onProjectChange(() => {
  selection.set({ ids: new Set(), anchor: null });
  prefs.set((p) => ({ ...p, evalId: null, sort: p.sort.by === 'metric' ? { by: 'import' } : p.sort }));
});

export function GalleryView({ projectPath }: { projectPath: string }) {
  const { images, loading, error, changed } = useImages(projectPath);
  const p = useStore(prefs);
  const sel = useStore(selection);
  // false = closed; a string = open, prefilled with a dropped folder ('' = empty).
  const [importing, setImporting] = useState<false | string>(false);
  const [dropHint, setDropHint] = useTransient<string>(8000);
  const set = (patch: Partial<GalleryPrefs>): void => prefs.set((s) => ({ ...s, ...patch }));
  const route = useRoute();
  const [focusId] = useState<number | null>(() => route.imageId ?? null);

  const evals = useEvaluations();
  const evalId = p.evalId ?? evals.list[0]?.id ?? null;
  const evalRows = useEvaluationRows(p.sort.by === 'metric' ? evalId : null);
  const metrics = useMemo(() => metricNames(evalRows.rows), [evalRows.rows]);
  const metricMap = useMemo(() => (p.sort.by === 'metric' ? metricByImage(evalRows.rows, p.sort.metric) : undefined), [evalRows.rows, p.sort]);

  const reviewThreshold = useProjectState().project?.settings.reviewThreshold;
  const shown = useMemo(() => arrange(images, { ...p.filter, reviewThreshold }, p.sort, metricMap), [images, p.filter, p.sort, metricMap, reviewThreshold]);
  const sequences = useSequences(projectPath);
  const seqFilter = p.filter.sequence ?? null;
  const entries = useMemo(() => galleryEntries(shown, sequences.byId, seqFilter === null), [shown, sequences.byId, seqFilter]);
  const order = useMemo(() => browseIds(entries), [entries]);
  const tileOrder = useMemo(() => entries.map((e) => e.key), [entries]);
  const sequenceTiles = entries.filter((e) => e.kind === 'sequence').length;
  const openSequence = useCallback((sequenceId: number) => {
    // The selection was the sequence tile (all its frames); the frames view starts with none.
    selection.set({ ids: new Set(), anchor: null });
    set({ filter: { ...prefs.get().filter, sequence: sequenceId } });
  }, []);
  const shownSequence = typeof seqFilter === 'number' ? sequences.byId.get(seqFilter) : undefined;
  useEffect(() => browseOrder.set(order), [order]);
  const counts = useMemo(() => countImages(images, reviewThreshold), [images, reviewThreshold]);

  // A metric sort needs a metric name; pick the first once the evaluation is loaded.
  useEffect(() => {
    if (p.sort.by === 'metric' && !p.sort.metric && metrics.length) set({ sort: { ...p.sort, metric: metrics[0] } });
  }, [metrics, p.sort]);

  const onTileClick = useCallback(
    (img: ImageSummary, e: MouseEvent) => {
      const s = selection.get();
      const next = nextSelection(s.ids, s.anchor, img.id, browseOrder.get(), { shift: e.shiftKey, toggle: e.ctrlKey || e.metaKey });
      selection.set({ ids: next.selected, anchor: next.anchor });
    },
    [],
  );
  const onOpen = useCallback((img: ImageSummary) => navigate('editor', img.id), []);
  // A sequence tile stands for its frames: clicking selects them all (Ctrl/Cmd toggles them).
  const onSequenceClick = useCallback((entry: Extract<GalleryEntry, { kind: 'sequence' }>, e: MouseEvent) => {
    const ids = entryIds(entry);
    const s = selection.get();
    if (e.ctrlKey || e.metaKey) {
      const next = new Set(s.ids);
      const on = ids.some((id) => next.has(id));
      for (const id of ids) {
        if (on) next.delete(id);
        else next.add(id);
      }
      selection.set({ ids: next, anchor: entry.key });
    } else selection.set({ ids: new Set(ids), anchor: entry.key });
  }, []);
  const onSequenceOpen = useCallback((entry: Extract<GalleryEntry, { kind: 'sequence' }>) => openSequence(entry.sequenceId), [openSequence]);
  const revisionOf = useCallback((id: number) => changed.get(id) ?? 0, [changed]);
  const metricOf = useCallback((id: number) => metricMap?.get(id), [metricMap]);

  // Keyboard: the action registry's gallery actions in the active preset.
  const [help, setHelp] = useState(false);
  const [keyFocus, setKeyFocus] = useState<number | null>(null);
  const [keyNote, setKeyNote] = useTransient<string>();
  useGalleryKeys({
    selected: selection.get,
    select: (ids, anchor) => selection.set({ ids, anchor }),
    overlay: p.overlay,
    setOverlay: (overlay) => set({ overlay }),
    toggleOutline: toggleTileMaskStyle,
    onFocus: setKeyFocus,
    onNote: setKeyNote,
    toggleHelp: () => setHelp((h) => !h),
    helpOpen: help,
    tileOrder: () => tileOrder,
    membersOf: (id) => {
      const e = entries.find((x) => x.key === id);
      return e ? entryIds(e) : [id];
    },
    openTile: (id) => {
      const e = entries.find((x) => x.key === id && x.kind === 'sequence');
      if (e?.kind !== 'sequence') return false;
      openSequence(e.sequenceId);
      return true;
    },
  });
  const preset = usePreferences().shortcutPreset;

  const selectedIds = useMemo(() => order.filter((id) => sel.ids.has(id)), [order, sel.ids]);
  const sortValue = p.sort.by === 'metric' ? 'metric' : p.sort.by;

  // Desktop: drop a folder (or files of one folder) on the window to import it.
  const onDrop = (e: DragEvent): void => {
    e.preventDefault();
    const file = e.dataTransfer.files[0];
    const path = file ? droppedPath(file) : null;
    if (!path) {
      setDropHint('In the browser, choose the folder on the host with Import…');
      return;
    }
    const isFolder = !file.type && !/\.[a-z0-9]{2,5}$/i.test(file.name);
    setImporting(isFolder ? path : path.replace(/[\\/][^\\/]*$/, ''));
  };

  return (
    <div className="gallery" onDragOver={(e) => e.preventDefault()} onDrop={onDrop}>
      <FilterPanel filter={p.filter} onChange={(filter) => set({ filter })} counts={counts} sequences={sequences.list} />
      <section className="gallery-main">
        <div className="toolbar">
          <button className="btn primary" onClick={() => setImporting('')} data-testid="import-open">
            Import…
          </button>
          <span className="muted" data-testid="gallery-count">
            {loading && images.length === 0 ? 'Loading…' : `${shown.length} of ${images.length} images${sequenceTiles ? ` · ${sequenceTiles} sequence${sequenceTiles === 1 ? '' : 's'} as one tile each` : ''}`}
          </span>
          <span className="grow" />
          <label className="inline">
            Sort
            <select
              value={sortValue}
              onChange={(e) => {
                const v = e.target.value;
                set({ sort: v === 'metric' ? { by: 'metric', metric: metrics[0] ?? '', ascending: true } : { by: v as 'name' | 'import' | 'confidence' } });
              }}
              data-testid="gallery-sort"
            >
              <option value="import">import order</option>
              <option value="name">name</option>
              <option value="confidence">least confident first</option>
              <option value="metric" disabled={evals.list.length === 0}>
                {evals.list.length === 0 ? 'metric (no evaluation stored)' : 'metric from evaluation'}
              </option>
            </select>
          </label>
          {p.sort.by === 'metric' && (
            <>
              <select value={evalId ?? ''} onChange={(e) => set({ evalId: Number(e.target.value) })} data-testid="gallery-sort-eval" className="max-w">
                {evals.list.map((ev) => (
                  <option key={ev.id} value={ev.id}>
                    {evaluationLabel(ev)}
                  </option>
                ))}
              </select>
              <select value={p.sort.metric} onChange={(e) => p.sort.by === 'metric' && set({ sort: { ...p.sort, metric: e.target.value } })} data-testid="gallery-sort-metric">
                {metrics.length === 0 && <option value="">{evalRows.loading ? 'loading…' : 'no per-image metrics'}</option>}
                {metrics.map((m) => (
                  <option key={m} value={m}>
                    {m}
                  </option>
                ))}
              </select>
              <button className="btn small" onClick={() => p.sort.by === 'metric' && set({ sort: { ...p.sort, ascending: !p.sort.ascending } })} data-testid="gallery-sort-direction" title="Sort direction">
                {p.sort.ascending ? 'worst first ↑' : 'best first ↓'}
              </button>
            </>
          )}
          <label className="inline">
            Overlay
            <select value={p.overlay} onChange={(e) => set({ overlay: e.target.value as OverlayChoice })} data-testid="gallery-overlay">
              <option value="auto">best available</option>
              <option value="ground-truth">ground truth</option>
              <option value="prediction">prediction</option>
              <option value="baseline">baseline</option>
              <option value="none">none</option>
            </select>
          </label>
          <input type="range" min={96} max={260} step={2} value={p.tileSize} onChange={(e) => set({ tileSize: Number(e.target.value) })} title="Tile size" aria-label="Tile size" />
        </div>
        {error && <div className="banner error">{error}</div>}
        {typeof seqFilter === 'number' && (
          <div className="sequence-banner" data-testid="gallery-sequence-banner" data-sequence-id={seqFilter}>
            <span>
              Sequence <strong>{shownSequence?.name ?? seqFilter}</strong>: {shown.length} of {shownSequence?.frameCount ?? '?'} frames shown
              {shownSequence ? `, ${shownSequence.labelledFrames} labelled` : ''}
            </span>
            <span className="grow" />
            {shown[0] && (
              <button className="btn small" onClick={() => navigate('editor', shown[0].id)} data-testid="sequence-edit-first">
                Edit from frame {shown[0].frameIndex ?? '?'}
              </button>
            )}
            <button className="btn small" onClick={() => set({ filter: { ...p.filter, sequence: null } })} data-testid="sequence-back">
              ← All images
            </button>
          </div>
        )}
        {keyNote && (
          <div className="banner" data-testid="gallery-key-note">
            {keyNote}
          </div>
        )}
        {dropHint && (
          <div className="banner" onClick={() => setDropHint(null)}>
            {dropHint}
          </div>
        )}
        {selectedIds.length > 0 && (
          <BulkBar ids={selectedIds} onClear={() => selection.set({ ids: new Set(), anchor: null })} onOpen={() => navigate('editor', selectedIds[0])} />
        )}
        {!loading && images.length === 0 ? (
          <div className="empty-state" data-testid="gallery-empty">
            <h2>No images yet</h2>
            <p className="muted">Import a folder of PNG, JPEG, TIFF or BMP images, with masks if you have them.</p>
            <button className="btn primary" onClick={() => setImporting('')}>
              Import a folder…
            </button>
          </div>
        ) : (
          <GalleryGrid
            entries={entries}
            selected={sel.ids}
            overlay={p.overlay}
            tileSize={p.tileSize}
            revisionOf={revisionOf}
            metricOf={metricOf}
            onTileClick={onTileClick}
            onOpen={onOpen}
            onSequenceClick={onSequenceClick}
            onSequenceOpen={onSequenceOpen}
            focusId={keyFocus ?? focusId}
          />
        )}
      </section>
      {help && <ShortcutHelp onClose={() => setHelp(false)} preset={preset} />}
      {importing !== false && <ImportDialog onClose={() => setImporting(false)} initialFolder={importing || undefined} />}
    </div>
  );
}
