// Polygon / lasso fill.
//   idle --down--> pressed --move > 3 px--> lasso (freehand; up fills)
//                  pressed --up--> polygon (click adds vertices; Enter, a double click near
//                  the last vertex or a click on the first vertex fills; Backspace removes
//                  the last vertex)
// A double click needs both time (DOUBLE_MS) and place (within the pick radius of the last
// click): two fast clicks far apart, as when clicking at annotation speed, add two vertices.
// Escape drops the shape. The fill uses the active class (secondary button: background).
import { polygonPixels, writeIndices } from '../raster';
import { inkFor } from './ink';
import { LABEL_TITLE, type Tool, type ToolHost, type ToolOverlay, type ToolPointer } from './types';

const DRAG_START = 3;
export const DOUBLE_MS = 400;

export class PolygonTool implements Tool {
  readonly id = 'polygon' as const;
  state: 'idle' | 'pressed' | 'lasso' | 'polygon' = 'idle';
  private points: number[] = [];
  private hover: { x: number; y: number } | null = null;
  private down: { x: number; y: number; erase: boolean } | null = null;
  private lastClick = 0;
  private lastClickAt: { x: number; y: number } | null = null;
  /** Injected clock so tests can drive double clicks. */
  now: () => number = () => Date.now();

  pointerDown(p: ToolPointer, host: ToolHost): void {
    const erase = p.button === 2;
    if (this.state === 'polygon') {
      const t = this.now();
      const near = this.lastClickAt !== null && Math.hypot(p.x - this.lastClickAt.x, p.y - this.lastClickAt.y) <= host.pickRadius;
      const double = t - this.lastClick < DOUBLE_MS && near;
      this.lastClick = t;
      this.lastClickAt = { x: p.x, y: p.y };
      if (double || this.nearFirst(p, host.pickRadius)) {
        this.fill(host, erase);
        return;
      }
      this.points.push(p.x, p.y);
      host.redraw();
      return;
    }
    this.state = 'pressed';
    this.down = { x: p.x, y: p.y, erase };
    this.points = [p.x, p.y];
    this.lastClick = this.now();
    this.lastClickAt = { x: p.x, y: p.y };
    host.redraw();
  }

  pointerMove(p: ToolPointer, host: ToolHost): void {
    this.hover = { x: p.x, y: p.y };
    if (this.state === 'pressed' && this.down && Math.hypot(p.x - this.down.x, p.y - this.down.y) > DRAG_START) this.state = 'lasso';
    if (this.state === 'lasso') {
      const n = this.points.length;
      // Keep the lasso light: only add points that moved at least half a pixel.
      if (Math.hypot(p.x - this.points[n - 2], p.y - this.points[n - 1]) >= 0.5) this.points.push(p.x, p.y);
    }
    if (this.state !== 'idle') host.redraw();
  }

  pointerUp(p: ToolPointer, host: ToolHost): void {
    if (this.state === 'lasso') {
      this.pointerMove(p, host);
      this.fill(host, this.down?.erase ?? false);
    } else if (this.state === 'pressed') {
      this.state = 'polygon';
      host.redraw();
    }
  }

  keyDown(key: string, host: ToolHost): boolean {
    if (this.state === 'idle') return false;
    if (key === 'Escape') {
      this.cancel(host);
      return true;
    }
    if (key === 'Enter' && this.state === 'polygon') {
      this.fill(host, false);
      return true;
    }
    if (key === 'Backspace' && this.state === 'polygon') {
      this.points.splice(-2, 2);
      if (this.points.length === 0) this.state = 'idle';
      host.redraw();
      return true;
    }
    return false;
  }

  cancel(host: ToolHost): void {
    this.state = 'idle';
    this.points = [];
    this.down = null;
    host.redraw();
  }

  overlay(): ToolOverlay | null {
    if (this.state === 'idle' || this.points.length === 0) return null;
    const pts = this.state === 'polygon' && this.hover ? [...this.points, this.hover.x, this.hover.y] : this.points;
    return { kind: 'path', points: pts, closed: this.state === 'lasso', anchor: this.state === 'polygon' };
  }

  private nearFirst(p: ToolPointer, radius: number): boolean {
    return this.points.length >= 6 && Math.hypot(p.x - this.points[0], p.y - this.points[1]) <= radius;
  }

  private fill(host: ToolHost, erase: boolean): void {
    const { indices } = polygonPixels(host.buf.width, host.buf.height, this.points);
    this.state = 'idle';
    this.points = [];
    this.down = null;
    if (indices.length === 0) {
      host.notify('The shape encloses no pixel centre.');
      host.redraw();
      return;
    }
    const label = erase ? 0 : host.activeClass;
    host.touched(writeIndices(host.buf, indices, inkFor(host, label, indices)));
    host.commit(`Fill (${LABEL_TITLE[label] ?? label})`);
    host.redraw();
  }
}
