import type { ReactNode } from 'react';
import { DIFFICULTY_CLASSES, REVIEW_STATES, SPLITS, type DifficultyClass, type ImageSummary, type MaskVersionInfo, type ReviewState, type Split } from '../../../shared/domain';
import { optionOf } from '../../editor/document';
import type { EditorSession } from '../../editor/session';
import { startOptions, versionLabel, type StartOption } from './useEditorDocument';
import { VersionsPanel } from './VersionsPanel';

export interface LayerState {
  opacity: number;
  outline: boolean;
  visible: boolean;
  secondId: number | null;
}

export function EditorSidePanel(props: {
  image: ImageSummary;
  session: EditorSession;
  versions: MaskVersionInfo[];
  startedFrom: StartOption | null;
  parentId: number | null;
  layers: LayerState;
  onLayers: (l: LayerState) => void;
  onDifficulty: (d: DifficultyClass | null) => void;
  onSplit: (s: Split) => void;
  onReview: (r: ReviewState) => void;
  segment: ReactNode;
  onStartFrom: (o: StartOption) => void;
  onRestore: (id: number) => void;
}) {
  const { image, session, layers } = props;
  const options = startOptions(props.versions);
  const cells = new Set<number>();
  for (const id of session.buf.instances) if (id) cells.add(id);
  const history = session.history.list();
  return (
    <aside className="editor-side" data-testid="editor-side">
      <section>
        <h3 className="ellipsis" title={image.path} data-testid="editor-image-name">
          {image.name}
        </h3>
        <p className="muted small">
          {image.width}×{image.height} · {image.format} · #{image.id}
        </p>
        <label className="field">
          <span>Difficulty class (Alt+1…8)</span>
          <select value={image.difficulty ?? 0} onChange={(e) => props.onDifficulty(Number(e.target.value) ? (Number(e.target.value) as DifficultyClass) : null)} data-testid="editor-difficulty">
            <option value={0}>Unclassified</option>
            {DIFFICULTY_CLASSES.map((d) => (
              <option key={d.id} value={d.id}>
                {d.id} · {d.label}
              </option>
            ))}
          </select>
        </label>
        {image.sequenceId !== null ? (
          // A frame's split belongs to its sequence (or its protocol): one frame alone is never moved.
          <div className="field" data-testid="editor-frame-split">
            <span>Split</span>
            <span className="muted small">
              {image.unused ? 'unused: out of every split (the sequence\'s protocol)' : `${image.split}, set for the whole sequence`}
            </span>
          </div>
        ) : (
          <label className="field">
            <span>Split</span>
            <div className="segmented">
              {SPLITS.map((s) => (
                <button key={s} className={image.split === s ? 'active' : ''} onClick={() => props.onSplit(s)} data-testid={`editor-split-${s}`}>
                  {s}
                </button>
              ))}
            </div>
          </label>
        )}
        <label className="field">
          <span>Review state (Shift+R reviewed · Shift+D draft)</span>
          <div className="segmented">
            {REVIEW_STATES.map((r) => (
              <button key={r} className={image.review === r ? `active review-${r}` : ''} onClick={() => props.onReview(r)} data-testid={`editor-review-${r}`} aria-pressed={image.review === r}>
                {r}
              </button>
            ))}
          </div>
        </label>
      </section>
      <section>
        <h3>Segment this image</h3>
        {props.segment}
      </section>
      <section>
        <h3>Mask</h3>
        <label className="field">
          <span>Start from</span>
          <select
            value={props.startedFrom?.key ?? ''}
            onChange={(e) => {
              const o = options.find((x) => x.key === e.target.value);
              if (o) props.onStartFrom(o);
            }}
            data-testid="editor-start-from"
          >
            {props.startedFrom && !options.some((o) => o.key === props.startedFrom?.key) && <option value={props.startedFrom.key}>{props.startedFrom.label}</option>}
            {options.map((o) => (
              <option key={o.key} value={o.key}>
                {o.label}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>Overlay opacity {Math.round(layers.opacity * 100)} %</span>
          <input type="range" min={0} max={1} step={0.05} value={layers.opacity} onChange={(e) => props.onLayers({ ...layers, opacity: Number(e.target.value) })} data-testid="overlay-opacity" />
        </label>
        <label className="check">
          <input type="checkbox" checked={layers.outline} onChange={(e) => props.onLayers({ ...layers, outline: e.target.checked })} data-testid="overlay-outline" />
          Outline only (Z or O)
        </label>
        <label className="check">
          <input type="checkbox" checked={layers.visible} onChange={(e) => props.onLayers({ ...layers, visible: e.target.checked })} data-testid="overlay-visible" />
          Show mask (X or H)
        </label>
        <label className="field">
          <span>Second overlay (outline, magenta)</span>
          <select value={layers.secondId ?? ''} onChange={(e) => props.onLayers({ ...layers, secondId: e.target.value ? Number(e.target.value) : null })} data-testid="overlay-second">
            <option value="">none</option>
            {props.versions
              .filter((v) => v.isCurrent || v.id === layers.secondId)
              .map((v) => (
                <option key={v.id} value={v.id}>
                  {versionLabel(v)} #{v.id}
                </option>
              ))}
          </select>
        </label>
      </section>
      <section>
        <h3>Cells</h3>
        <p className="muted small" data-testid="editor-cell-count">
          {cells.size} cell{cells.size === 1 ? '' : 's'}
          {session.selectedInstance ? ` · selected #${session.selectedInstance}` : ''}
          {session.derivedInstances ? ' · numbered from connected components' : ''}
        </p>
        <label className="check" title="Edge = the 1-px contour of each cell, re-derived after every step">
          <input type="checkbox" checked={session.autoEdges} onChange={(e) => session.setAutoEdges(e.target.checked)} data-testid="auto-edges" />
          Auto edges from cells
        </label>
        <div className="row wrap">
          <button className="btn small" onClick={() => session.deriveEdgesNow()} title="Shift+E" data-testid="derive-edges">
            Derive edges
          </button>
          <button className="btn small" onClick={() => session.renumberInstances()} title="Number cells from connected components" data-testid="renumber-cells">
            Cells from components
          </button>
        </div>
      </section>
      <section>
        <h3>History</h3>
        <ol className="history-list" data-testid="history-list">
          {history.map((h, i) => (
            <li key={i} className={i === session.history.position ? 'current' : i > session.history.position ? 'future' : ''}>
              {h.label}
            </li>
          ))}
        </ol>
      </section>
      <section>
        <h3>Versions</h3>
        <VersionsPanel
          versions={props.versions}
          parentId={props.parentId}
          onRestore={props.onRestore}
          onLoad={(v) => props.onStartFrom(optionOf(v, true))}
          onOverlay={(v) => props.onLayers({ ...layers, secondId: v.id })}
        />
      </section>
    </aside>
  );
}
