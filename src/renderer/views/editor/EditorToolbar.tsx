import { LABEL_NAMES, type OverlayPalette, type ShortcutPreset } from '../../../shared/domain';
import { paletteCss } from '../../editor/colorize';
import type { EditorSession } from '../../editor/session';
import type { ToolId } from '../../editor/tools';
import { actionById, keysFor, type EditorContext } from '../../keys/registry';
import { describe } from '../../keys/shortcuts';

const TOOLS: { id: ToolId; label: string }[] = [
  { id: 'brush', label: 'Brush' },
  { id: 'eraser', label: 'Eraser' },
  { id: 'polygon', label: 'Lasso' },
  { id: 'bucket', label: 'Fill' },
  { id: 'snap', label: 'Snap' },
  { id: 'select', label: 'Select' },
  { id: 'split', label: 'Split' },
  { id: 'merge', label: 'Merge' },
];

export function EditorToolbar(props: { session: EditorSession; ctx: EditorContext; saving: boolean; dirty: boolean; canAccept: boolean; preset: ShortcutPreset; palette: OverlayPalette }) {
  const { session, ctx, saving, dirty, preset } = props;
  const keyOf = (id: string): string => {
    const k = keysFor(id, preset)[0];
    return k ? describe(k) : '';
  };
  const keysOf = (id: string): string => keysFor(id, preset).map((k) => describe(k)).join(' or ');
  const css = paletteCss(props.palette);
  return (
    <div className="editor-toolbar" data-testid="editor-toolbar">
      <div className="tool-group" role="toolbar" aria-label="Tools">
        {TOOLS.map((t) => (
          <button
            key={t.id}
            className={`tool-btn ${session.toolId === t.id ? 'active' : ''}`}
            onClick={() => session.setTool(t.id)}
            title={`${actionById(`tool.${t.id}`).label} (${keyOf(`tool.${t.id}`)})`}
            data-testid={`tool-${t.id}`}
            aria-pressed={session.toolId === t.id}
          >
            {t.label}
            <kbd>{keyOf(`tool.${t.id}`)}</kbd>
          </button>
        ))}
      </div>
      <div className="tool-group" aria-label="Class">
        {LABEL_NAMES.map((name, v) => (
          <button
            key={name}
            className={`class-btn ${session.activeClass === v ? 'active' : ''}`}
            onClick={() => session.setClass(v)}
            title={`${name} (${keyOf(`class.${v}`)})`}
            data-testid={`class-${name}`}
            aria-pressed={session.activeClass === v}
          >
            <span className="swatch" style={{ background: v === 0 ? 'transparent' : css[v] }} />
            <span>{name}</span>
            <kbd>{keyOf(`class.${v}`)}</kbd>
          </button>
        ))}
      </div>
      <div className="tool-group brush-size" title={`Brush size (${keysOf('brush.smaller')} / ${keysOf('brush.larger')})`}>
        <button className="btn small" onClick={() => session.stepBrush(-1)} data-testid="brush-smaller" aria-label="Smaller brush">
          −
        </button>
        <input
          type="number"
          min={1}
          max={128}
          value={session.brushSize}
          onChange={(e) => session.setBrushSize(Number(e.target.value) || 1)}
          data-testid="brush-size"
          aria-label="Brush size in pixels"
        />
        <button className="btn small" onClick={() => session.stepBrush(1)} data-testid="brush-larger" aria-label="Larger brush">
          +
        </button>
      </div>
      <div className="tool-group">
        <button className="btn small" onClick={() => session.undo()} disabled={!session.history.canUndo()} title={`Undo (${keyOf('undo')})`} data-testid="undo" aria-label="Undo">
          ↶
        </button>
        <button className="btn small" onClick={() => session.redo()} disabled={!session.history.canRedo()} title={`Redo (${keyOf('redo')})`} data-testid="redo" aria-label="Redo">
          ↷
        </button>
      </div>
      <span className="grow" />
      <div className="tool-group">
        <button className="btn small" onClick={ctx.previous} title={`Previous image (${keysOf('image.previous')})`} data-testid="image-prev" aria-label="Previous image">
          ‹
        </button>
        <button className="btn small" onClick={ctx.next} title={`Next image (${keysOf('image.next')})`} data-testid="image-next" aria-label="Next image">
          ›
        </button>
        <button className="btn small" onClick={ctx.fit} title={`Fit to window (${keysOf('view.fit')})`} data-testid="fit">
          Fit
        </button>
        <button className="btn small" onClick={ctx.toggleHelp} title={`Keyboard shortcuts (${keyOf('view.help')})`} data-testid="shortcuts">
          ?
        </button>
      </div>
      <div className="tool-group">
        <button className="btn small ghost" onClick={ctx.discard} disabled={!dirty} title={`${actionById('discard').label} (${keyOf('discard')})`} data-testid="discard">
          Discard
        </button>
        <button className={`btn small ${dirty ? 'primary' : ''}`} onClick={ctx.save} disabled={saving || !dirty} title={`Save edits as a new ground-truth version (${keyOf('save')})`} data-testid="save">
          {saving ? 'Saving…' : 'Save'}
        </button>
        <button className={`btn small ${!dirty && props.canAccept ? 'primary' : ''}`} onClick={ctx.accept} disabled={saving || !props.canAccept} title={`Store this mask as the current ground truth, recording where it came from (${keyOf('accept')})`} data-testid="accept">
          Accept as ground truth
        </button>
      </div>
    </div>
  );
}
