import { memo, type MouseEvent } from 'react';
import type { ImageSummary } from '../../../shared/domain';
import { DifficultyBadge, MaskKindChips } from '../../components/badges';
import { mediaUrl } from '../../state/media';
import { useOverlayVersion, type OverlayChoice } from '../../state/overlays';
import { useStore } from '../../state/store';
import { tileMaskStyle } from './mask-style';
import { usePreferences } from '../../state/preferences';

export interface TileProps {
  img: ImageSummary;
  selected: boolean;
  overlay: OverlayChoice;
  revision: number;
  metric: number | undefined;
  onClick: (img: ImageSummary, e: MouseEvent) => void;
  onOpen: (img: ImageSummary) => void;
}

function TileImpl({ img, selected, overlay, revision, metric, onClick, onOpen }: TileProps) {
  const version = useOverlayVersion(img, overlay, revision);
  const maskStyle = useStore(tileMaskStyle);
  const { overlayPalette } = usePreferences();
  return (
    <div
      className={`tile ${selected ? 'selected' : ''}`}
      data-testid="gallery-tile"
      data-image-id={img.id}
      data-image-name={img.name}
      onClick={(e) => onClick(img, e)}
      onDoubleClick={() => onOpen(img)}
      title={`${img.name}\n${img.path}\nDouble-click to edit`}
    >
      <div className="thumb">
        <img src={mediaUrl(`thumb/${img.id}?r=${revision}`)} loading="lazy" decoding="async" alt="" draggable={false} />
        {version !== null && <img className="thumb-overlay" src={mediaUrl(`mask/${version}?style=${maskStyle}&palette=${overlayPalette}`)} loading="lazy" decoding="async" alt="" draggable={false} />}
        {img.review === 'reviewed' && (
          <span className="review-chip" title="Reviewed" data-testid="tile-reviewed">
            ✓ reviewed
          </span>
        )}
        {metric !== undefined && <span className="tile-metric">{(metric * 100).toFixed(1)}</span>}
      </div>
      <div className="tile-line">
        <span className="tile-name ellipsis">{img.name}</span>
        <DifficultyBadge value={img.difficulty} />
      </div>
      <div className="tile-line muted small">
        {/* A frame's number says more than its size (every frame of a sequence has the same), and long frame names are cut. */}
        {img.frameIndex !== null ? (
          <span className="frame-no" data-testid="tile-frame" title={`${img.width}×${img.height}`}>
            #{img.frameIndex}
          </span>
        ) : (
          <span>
            {img.width}×{img.height}
          </span>
        )}
        {/* A frame its protocol leaves out of every split has no split to show. */}
        <span className={`split-tag ${img.unused ? 'unused' : img.split}`}>{img.unused ? 'unused' : img.split}</span>
        <MaskKindChips kinds={img.maskKinds} corrected={img.corrected} />
      </div>
    </div>
  );
}

export const GalleryTile = memo(TileImpl);
