// Every mask version of the image, newest first: load one as the starting point, show it
// as the second overlay, or restore it as the current version (appends a new version).
import type { MaskVersionInfo } from '../../../shared/domain';
import { formatTime } from '../../components/format';

export function VersionsPanel(props: {
  versions: MaskVersionInfo[];
  parentId: number | null;
  onRestore: (id: number) => void;
  onLoad: (v: MaskVersionInfo) => void;
  onOverlay: (v: MaskVersionInfo) => void;
}) {
  const sorted = [...props.versions].sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id - a.id);
  if (sorted.length === 0) return <p className="muted small">No stored versions yet. Saving creates the first ground-truth version.</p>;
  return (
    <ul className="version-list" data-testid="version-list">
      {sorted.map((v) => (
        <li key={v.id} className={`version ${v.id === props.parentId ? 'parent' : ''}`} data-testid="version-item" data-version-id={v.id} data-kind={v.kind}>
          <div className="version-head">
            <span className={`kind-chip on ${v.kind}`}>{v.kind === 'ground-truth' ? 'GT' : v.kind === 'prediction' ? 'P' : 'AC'}</span>
            <span className="ellipsis grow" title={v.source}>
              {v.source}
            </span>
            {v.isCurrent && <span className="current-tag">current</span>}
            <span className="muted small">#{v.id}</span>
          </div>
          <div className="muted small">
            {formatTime(v.createdAt)} · {v.author}
            {v.parentId ? ` · from #${v.parentId}` : ''}
            {v.note ? ` · ${v.note}` : ''}
          </div>
          <div className="version-actions">
            <button className="btn small ghost" onClick={() => props.onLoad(v)} title="Edit starting from this version (undoable)" data-testid="version-load">
              Edit from
            </button>
            <button className="btn small ghost" onClick={() => props.onOverlay(v)} title="Show as the second overlay" data-testid="version-overlay">
              Overlay
            </button>
            {!v.isCurrent && (
              <button className="btn small ghost" onClick={() => props.onRestore(v.id)} title="Make this the current version again (adds a new version)" data-testid="version-restore">
                Restore
              </button>
            )}
          </div>
        </li>
      ))}
    </ul>
  );
}
