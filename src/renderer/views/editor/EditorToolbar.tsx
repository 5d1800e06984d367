import { LABEL_NAMES } from '../../../shared/domain';
import { actionById, type ActionContext } from '../../editor/actions';
import { CLASS_CSS } from '../../editor/colorize';
import type { EditorSession } from '../../editor/session';
import { describe } from '../../editor/shortcuts';
import type { ToolId } from '../../editor/tools';

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

const keyOf = (id: string): string => describe(actionById(id).keys[0]);

export function EditorToolbar({ session, ctx, saving, dirty }: { session: EditorSession; ctx: ActionContext; saving: boolean; dirty: boolean }) {
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
            title={`${name} (${v + 1})`}
            data-testid={`class-${name}`}
            aria-pressed={session.activeClass === v}
          >
            <span className="swatch" style={{ background: v === 0 ? 'transparent' : CLASS_CSS[v] }} />
            <span>{name}</span>
            <kbd>{v + 1}</kbd>
          </button>
        ))}
      </div>
      <div className="tool-group brush-size" title="Brush size ([ and ])">
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
        <button className="btn small" onClick={ctx.previous} title="Previous image (, or PageUp)" data-testid="image-prev" aria-label="Previous image">
          ‹
        </button>
        <button className="btn small" onClick={ctx.next} title="Next image (. or PageDown)" data-testid="image-next" aria-label="Next image">
          ›
        </button>
        <button className="btn small" onClick={ctx.fit} title="Fit to window (F)" data-testid="fit">
          Fit
        </button>
        <button className="btn small" onClick={ctx.toggleHelp} title="Keyboard shortcuts (?)" data-testid="shortcuts">
          ?
        </button>
        <button className={`btn small ${dirty ? 'primary' : ''}`} onClick={ctx.save} disabled={saving} title={`Save as a new ground-truth version (${keyOf('save')})`} data-testid="save">
          {saving ? 'Saving…' : 'Save'}
        </button>
      </div>
    </div>
  );
}
