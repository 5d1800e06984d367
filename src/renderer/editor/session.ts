// The editing session of one image: the working buffer, the history of snapshots, the
// active tool and the brush settings. Implements ToolHost for the tools and is an external
// store for React (subscribe/getVersion). Pure TS: tests drive it with pointer sequences.
import type { LabelMap } from '../../shared/domain';
import { capture, History, restore, type HistoryEntry, type Snapshot } from './history';
import { deriveEdges, instancesFromComponents, loadInstances } from './instances';
import { emptyBuffer, fullRect, toLabelMap, unionRect, type MaskBuffer, type Rect } from './mask-buffer';
import { createTool, type SnapRequest, type Tool, type ToolHost, type ToolId, type ToolPointer } from './tools';

export const BRUSH_SIZES = [1, 2, 3, 4, 6, 8, 12, 16, 24, 32, 48, 64] as const;

export interface SessionOptions {
  snap?: (req: SnapRequest) => Promise<LabelMap>;
  /** Re-derive the edge class from instances after every step (default: on when the mask has edge pixels). */
  autoEdges?: boolean;
}

export class EditorSession implements ToolHost {
  readonly buf: MaskBuffer;
  readonly history: History;
  activeClass = 1;
  brushSize = 8;
  selectedInstance = 0;
  pickRadius = 4;
  autoEdges: boolean;
  message: string | null = null;
  /** True when the stored mask had no instance map and cells were numbered from components. */
  readonly derivedInstances: boolean;
  private tool: Tool;
  private dirty: Rect | null = null;
  private version = 0;
  private listeners = new Set<() => void>();
  private saved: Snapshot;
  private readonly snapFn: (req: SnapRequest) => Promise<LabelMap>;

  constructor(source: LabelMap | { width: number; height: number }, options: SessionOptions = {}) {
    this.buf = emptyBuffer(source.width, source.height);
    let derived = false;
    if ('labels' in source) {
      if (source.labels.length !== source.width * source.height) throw new Error('label map size does not match its width x height');
      this.buf.labels.set(source.labels);
      derived = loadInstances(this.buf, source.instances);
    }
    this.derivedInstances = derived;
    this.autoEdges = options.autoEdges ?? this.buf.labels.includes(3);
    this.snapFn = options.snap ?? (() => Promise.reject(new Error('snap is not available')));
    this.tool = createTool('brush');
    this.history = new History(capture(this.buf));
    this.saved = this.history.current.snapshot;
    this.dirty = fullRect(this.buf);
  }

  // ---- store protocol -------------------------------------------------------------------
  subscribe = (fn: () => void): (() => void) => {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  };

  getVersion = (): number => this.version;

  private emit(): void {
    this.version++;
    this.listeners.forEach((l) => l());
  }

  // ---- ToolHost ---------------------------------------------------------------------------
  selectInstance(id: number): void {
    if (id === this.selectedInstance) return;
    this.selectedInstance = id;
    // Selection is drawn into the mask colours, so the whole mask is re-coloured.
    this.dirty = fullRect(this.buf);
    this.emit();
  }

  touched(r: Rect | null): void {
    if (r) this.dirty = unionRect(this.dirty, r);
  }

  commit(label: string): void {
    if (this.autoEdges) this.touched(deriveEdges(this.buf));
    this.history.push(capture(this.buf, this.history.current.snapshot), label);
    this.emit();
  }

  revert(): void {
    restore(this.history.current.snapshot, this.buf);
    this.dirty = fullRect(this.buf);
    this.emit();
  }

  redraw(): void {
    this.emit();
  }

  notify(message: string): void {
    this.message = message;
    this.emit();
  }

  snap(req: SnapRequest): Promise<LabelMap> {
    return this.snapFn(req);
  }

  // ---- input --------------------------------------------------------------------------------
  get toolId(): ToolId {
    return this.tool.id;
  }

  get activeTool(): Tool {
    return this.tool;
  }

  setTool(id: ToolId): void {
    if (id === this.tool.id) return;
    this.tool.cancel(this);
    this.tool = createTool(id);
    this.message = null;
    this.emit();
  }

  setClass(label: number): void {
    this.activeClass = label;
    if (this.tool.id === 'eraser') this.tool = createTool('brush');
    this.emit();
  }

  setBrushSize(size: number): void {
    this.brushSize = Math.max(1, Math.min(128, Math.round(size)));
    this.emit();
  }

  /** [ and ]: step through the usual brush sizes. */
  stepBrush(dir: 1 | -1): void {
    const sizes = BRUSH_SIZES as readonly number[];
    const next = dir > 0 ? sizes.find((s) => s > this.brushSize) : [...sizes].reverse().find((s) => s < this.brushSize);
    this.setBrushSize(next ?? this.brushSize);
  }

  setAutoEdges(on: boolean): void {
    this.autoEdges = on;
    if (on) this.deriveEdgesNow();
    else this.emit();
  }

  pointerDown(p: ToolPointer): void {
    this.message = null;
    this.tool.pointerDown(p, this);
  }

  pointerMove(p: ToolPointer): void {
    this.tool.pointerMove(p, this);
  }

  pointerUp(p: ToolPointer): void {
    this.tool.pointerUp(p, this);
  }

  /** Tool keys first (Enter, Escape, Delete...); returns whether the key was used. */
  toolKey(key: string): boolean {
    return this.tool.keyDown(key, this);
  }

  // ---- actions ------------------------------------------------------------------------------
  undo(): boolean {
    this.tool.cancel(this);
    const e = this.history.undo();
    if (!e) return false;
    this.applySnapshot(e);
    return true;
  }

  redo(): boolean {
    this.tool.cancel(this);
    const e = this.history.redo();
    if (!e) return false;
    this.applySnapshot(e);
    return true;
  }

  private applySnapshot(e: HistoryEntry): void {
    restore(e.snapshot, this.buf);
    this.dirty = fullRect(this.buf);
    this.emit();
  }

  deriveEdgesNow(): void {
    this.touched(deriveEdges(this.buf));
    this.history.push(capture(this.buf, this.history.current.snapshot), 'Derive edges');
    this.emit();
  }

  renumberInstances(): void {
    instancesFromComponents(this.buf);
    this.dirty = fullRect(this.buf);
    this.commit('Cells from connected components');
  }

  /**
   * Start the session over from `map` (a chosen starting mask, a discard, a restore). This
   * is not an edit: the history starts again and the session is clean, so nothing is saved
   * unless the user edits or explicitly accepts the mask.
   */
  resetTo(map: LabelMap | null, label = 'Start'): void {
    this.tool.cancel(this);
    if (map && (map.width !== this.buf.width || map.height !== this.buf.height)) throw new Error('mask size does not match the image');
    this.buf.labels.fill(0);
    this.buf.instances.fill(0);
    if (map) {
      this.buf.labels.set(map.labels);
      loadInstances(this.buf, map.instances);
    }
    this.selectedInstance = 0;
    this.message = null;
    this.dirty = fullRect(this.buf);
    this.history.reset(capture(this.buf), label);
    this.saved = this.history.current.snapshot;
    this.emit();
  }

  /** Replace the whole mask as one undoable step (an edit). */
  replaceAll(map: LabelMap | null, label: string): void {
    this.tool.cancel(this);
    if (map && (map.width !== this.buf.width || map.height !== this.buf.height)) throw new Error('mask size does not match the image');
    this.buf.labels.fill(0);
    this.buf.instances.fill(0);
    if (map) {
      this.buf.labels.set(map.labels);
      loadInstances(this.buf, map.instances);
    }
    this.selectedInstance = 0;
    this.dirty = fullRect(this.buf);
    this.history.push(capture(this.buf, this.history.current.snapshot), label);
    this.emit();
  }

  // ---- saving -------------------------------------------------------------------------------
  get isDirty(): boolean {
    return this.history.current.snapshot !== this.saved;
  }

  /** Remember the current state as saved (after masks.save succeeded for `snapshot`). */
  markSaved(snapshot: Snapshot = this.history.current.snapshot): void {
    this.saved = snapshot;
    this.emit();
  }

  currentSnapshot(): Snapshot {
    return this.history.current.snapshot;
  }

  toLabelMap(): LabelMap {
    return toLabelMap(this.buf);
  }

  /** The region changed since the view last drew (the view clears it). */
  takeDirty(): Rect | null {
    const d = this.dirty;
    this.dirty = null;
    return d;
  }
}
