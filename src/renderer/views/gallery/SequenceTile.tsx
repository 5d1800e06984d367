// One tile for a whole sequence: the cover frame's thumbnail (with its mask overlay), a
// stacked look and the frame count. Double-click (or Enter) shows the sequence's frames.
import { memo, type MouseEvent } from 'react';
import { mediaUrl } from '../../state/media';
import { useOverlayVersion, type OverlayChoice } from '../../state/overlays';
import { useStore } from '../../state/store';
import { frameCountLabel, type GalleryEntry } from './entries';
import { tileMaskStyle } from './mask-style';
import '../../styles/sequences.css';

type SequenceEntry = Extract<GalleryEntry, { kind: 'sequence' }>;

export interface SequenceTileProps {
  entry: SequenceEntry;
  selected: boolean;
  overlay: OverlayChoice;
  revision: number;
  onClick: (entry: SequenceEntry, e: MouseEvent) => void;
  onOpen: (entry: SequenceEntry) => void;
}

function SequenceTileImpl({ entry, selected, overlay, revision, onClick, onOpen }: SequenceTileProps) {
  const { cover, sequence } = entry;
  const version = useOverlayVersion(cover, overlay, revision);
  const maskStyle = useStore(tileMaskStyle);
  const name = sequence?.name ?? `sequence ${entry.sequenceId}`;
  const labelled = entry.frames.filter((f) => f.maskKinds.includes('ground-truth')).length;
  // One split for the whole sequence, or the per-frame protocol's name (short: tiles are narrow).
  const split = sequence ? (sequence.splitMode === 'sequence' ? (sequence.split ?? '') : (sequence.protocol ?? 'split per frame')) : '';
  return (
    <div
      className={`tile sequence-tile ${selected ? 'selected' : ''}`}
      data-testid="sequence-tile"
      data-sequence-id={entry.sequenceId}
      data-frame-count={entry.frames.length}
      data-cover-id={cover.id}
      onClick={(e) => onClick(entry, e)}
      onDoubleClick={() => onOpen(entry)}
      title={`Sequence ${name}: ${frameCountLabel(entry)}, ${labelled} labelled\n${sequence?.source ?? ''}\nDouble-click to show its frames`}
    >
      <div className="thumb">
        <img src={mediaUrl(`thumb/${cover.id}?r=${revision}`)} loading="lazy" decoding="async" alt="" draggable={false} />
        {version !== null && <img className="thumb-overlay" src={mediaUrl(`mask/${version}?style=${maskStyle}`)} loading="lazy" decoding="async" alt="" draggable={false} />}
        <span className="frame-count-chip" data-testid="sequence-frame-count">
          ▶ {frameCountLabel(entry)}
        </span>
      </div>
      <div className="tile-line">
        <span className="tile-name ellipsis" title={`${name}: cover is frame ${cover.frameIndex ?? '?'}`}>
          {name}
        </span>
      </div>
      <div className="tile-line muted small">
        <span className="ellipsis" data-testid="sequence-labelled">
          {labelled} labelled{split ? ` · ${split}` : ''}
        </span>
      </div>
    </div>
  );
}

export const SequenceTile = memo(SequenceTileImpl);
