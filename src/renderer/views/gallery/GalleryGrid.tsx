// Virtualized grid: rows of tiles, only the visible rows (plus a little overscan) mounted,
// so 10,000 images scroll like 100. A sequence is one tile (entries.ts).
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useLayoutEffect, useRef, useState, type MouseEvent } from 'react';
import type { ImageSummary } from '../../../shared/domain';
import type { OverlayChoice } from '../../state/overlays';
import { GalleryTile } from './GalleryTile';
import { SequenceTile } from './SequenceTile';
import type { GalleryEntry } from './entries';

const GAP = 10;

export interface GridProps {
  entries: GalleryEntry[];
  selected: ReadonlySet<number>;
  overlay: OverlayChoice;
  tileSize: number;
  revisionOf: (id: number) => number;
  metricOf: (id: number) => number | undefined;
  onTileClick: (img: ImageSummary, e: MouseEvent) => void;
  onOpen: (img: ImageSummary) => void;
  onSequenceClick: (entry: Extract<GalleryEntry, { kind: 'sequence' }>, e: MouseEvent) => void;
  onSequenceOpen: (entry: Extract<GalleryEntry, { kind: 'sequence' }>) => void;
  /** Scroll so this image is visible (e.g. after returning from the editor). */
  focusId: number | null;
}

export function GalleryGrid(props: GridProps) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(0);
  useLayoutEffect(() => {
    const el = scrollRef.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setWidth(el.clientWidth));
    ro.observe(el);
    setWidth(el.clientWidth);
    return () => ro.disconnect();
  }, []);

  // tileSize is the minimum width; tiles stretch to fill the row.
  const cols = Math.max(1, Math.floor((width - GAP) / (props.tileSize + GAP)));
  const tileW = width > 0 ? Math.floor((width - GAP) / cols) - GAP : props.tileSize;
  const rowH = tileW + 46;
  const rows = Math.ceil(props.entries.length / cols);
  const virtualizer = useVirtualizer({
    count: rows,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => rowH + GAP,
    overscan: 3,
  });
  useEffect(() => virtualizer.measure(), [rowH, virtualizer]);

  const { focusId, entries } = props;
  const ready = width > 0;
  useEffect(() => {
    if (focusId === null) return;
    const idx = entries.findIndex((e) => e.key === focusId || (e.kind === 'sequence' && e.frames.some((f) => f.id === focusId)));
    if (idx >= 0) virtualizer.scrollToIndex(Math.floor(idx / cols), { align: 'auto' });
    // Only when the focus target changes or the layout is first known, not on every update.
  }, [focusId, ready]);

  return (
    <div className="grid-scroll" ref={scrollRef} data-testid="gallery-grid" data-count={props.entries.length}>
      <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
        {virtualizer.getVirtualItems().map((row) => {
          const start = row.index * cols;
          return (
            <div key={row.key} className="grid-row" style={{ transform: `translateY(${row.start}px)`, height: rowH, gap: GAP, paddingLeft: GAP }}>
              {props.entries.slice(start, start + cols).map((e) => (
                <div key={e.kind === 'image' ? e.key : `s${e.sequenceId}`} style={{ width: tileW }}>
                  {e.kind === 'image' ? (
                    <GalleryTile
                      img={e.img}
                      selected={props.selected.has(e.key)}
                      overlay={props.overlay}
                      revision={props.revisionOf(e.key)}
                      metric={props.metricOf(e.key)}
                      onClick={props.onTileClick}
                      onOpen={props.onOpen}
                    />
                  ) : (
                    <SequenceTile
                      entry={e}
                      selected={e.frames.some((f) => props.selected.has(f.id))}
                      overlay={props.overlay}
                      revision={props.revisionOf(e.key)}
                      onClick={props.onSequenceClick}
                      onOpen={props.onSequenceOpen}
                    />
                  )}
                </div>
              ))}
            </div>
          );
        })}
      </div>
    </div>
  );
}
