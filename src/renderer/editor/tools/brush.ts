// Brush and eraser: idle -> painting (pointer down) -> idle (pointer up = one history step).
// Each move paints the capsule between the previous and current pointer position, so fast
// strokes have no gaps. Shift-click draws a straight line from the last stroke's end.
// The secondary button erases with the brush.
import { clipRect, type Rect } from '../mask-buffer';
import { paintCapsule, type Ink } from '../raster';
import { inkFor } from './ink';
import { LABEL_TITLE, type Tool, type ToolHost, type ToolOverlay, type ToolPointer } from './types';

function discIndices(host: ToolHost, x: number, y: number): number[] {
  const r = Math.max(host.brushSize / 2, 0.71);
  const { width: w, height: h } = host.buf;
  const out: number[] = [];
  for (let j = Math.max(0, Math.floor(y - r)); j <= Math.min(h - 1, Math.ceil(y + r)); j++) {
    for (let i = Math.max(0, Math.floor(x - r)); i <= Math.min(w - 1, Math.ceil(x + r)); i++) {
      const dx = i + 0.5 - x;
      const dy = j + 0.5 - y;
      if (dx * dx + dy * dy <= r * r) out.push(j * w + i);
    }
  }
  return out;
}

/** The first non-zero instance other than `own` within `radius` of the segment a-b. */
function cellNear(host: ToolHost, ax: number, ay: number, bx: number, by: number, radius: number, own: number): number {
  const r = Math.max(radius, 0.71) + 1;
  const rect: Rect | null = clipRect({ x0: Math.floor(Math.min(ax, bx) - r), y0: Math.floor(Math.min(ay, by) - r), x1: Math.ceil(Math.max(ax, bx) + r), y1: Math.ceil(Math.max(ay, by) + r) }, host.buf);
  if (!rect) return 0;
  const { width: w, instances } = host.buf;
  for (let y = rect.y0; y < rect.y1; y++) {
    for (let x = rect.x0; x < rect.x1; x++) {
      const id = instances[y * w + x];
      if (id && id !== own) return id;
    }
  }
  return 0;
}

export class BrushTool implements Tool {
  state: 'idle' | 'painting' = 'idle';
  private ink: Ink = { label: 0, instance: 0 };
  /** The stroke started away from any cell with a new id; it adopts the first cell it reaches. */
  private fresh = false;
  private strokeRect: Rect | null = null;
  private last: { x: number; y: number } | null = null;
  private lastEnd: { x: number; y: number } | null = null;

  constructor(readonly id: 'brush' | 'eraser') {}

  pointerDown(p: ToolPointer, host: ToolHost): void {
    const erase = this.id === 'eraser' || p.button === 2;
    const label = erase ? 0 : host.activeClass;
    const { fresh, ...ink } = inkFor(host, label, discIndices(host, p.x, p.y));
    this.ink = ink;
    this.fresh = fresh;
    this.strokeRect = null;
    this.state = 'painting';
    const from = p.shift && this.lastEnd ? this.lastEnd : p;
    this.paint(from.x, from.y, p.x, p.y, host);
    this.last = { x: p.x, y: p.y };
  }

  pointerMove(p: ToolPointer, host: ToolHost): void {
    if (this.state !== 'painting' || !this.last) return;
    this.paint(this.last.x, this.last.y, p.x, p.y, host);
    this.last = { x: p.x, y: p.y };
  }

  private paint(ax: number, ay: number, bx: number, by: number, host: ToolHost): void {
    const radius = host.brushSize / 2;
    if (this.fresh && typeof this.ink.instance === 'number') {
      // Painting from outside into a cell extends that cell rather than making a new one.
      const reached = cellNear(host, ax, ay, bx, by, radius, this.ink.instance);
      if (reached) {
        const own = this.ink.instance;
        const r = this.strokeRect;
        if (r) {
          const { width: w, instances } = host.buf;
          for (let y = r.y0; y < r.y1; y++) for (let x = r.x0; x < r.x1; x++) if (instances[y * w + x] === own) instances[y * w + x] = reached;
        }
        this.ink = { ...this.ink, instance: reached };
        this.fresh = false;
      }
    }
    const r = paintCapsule(host.buf, ax, ay, bx, by, radius, this.ink);
    if (r) this.strokeRect = this.strokeRect ? { x0: Math.min(this.strokeRect.x0, r.x0), y0: Math.min(this.strokeRect.y0, r.y0), x1: Math.max(this.strokeRect.x1, r.x1), y1: Math.max(this.strokeRect.y1, r.y1) } : r;
    host.touched(r);
  }

  pointerUp(p: ToolPointer, host: ToolHost): void {
    if (this.state !== 'painting') return;
    this.pointerMove(p, host);
    this.state = 'idle';
    this.lastEnd = this.last;
    this.last = null;
    host.commit(this.ink.label === 0 ? 'Erase' : `Brush (${LABEL_TITLE[this.ink.label] ?? this.ink.label})`);
  }

  keyDown(key: string, host: ToolHost): boolean {
    if (key === 'Escape' && this.state === 'painting') {
      this.cancel(host);
      return true;
    }
    return false;
  }

  cancel(host: ToolHost): void {
    if (this.state === 'painting') host.revert();
    this.state = 'idle';
    this.last = null;
  }

  overlay(): ToolOverlay | null {
    return null;
  }
}
