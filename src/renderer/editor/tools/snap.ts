// Snap: ask the active contour for the cell under a click (or inside a dragged box).
//   idle --down--> pointing --move > 3 px--> boxing --up--> waiting
//   pointing --up--> waiting --reply--> proposing --Enter--> write cell, idle
//                                        proposing --Escape--> idle
//                                        proposing --click/drag--> waiting (ask again)
// Accepting replaces the clicked cell (if any) with the proposal as one instance, so the
// user can then adjust it with the brush.
import type { LabelMap } from '../../../shared/domain';
import { maxInstance, unionRect, type Rect } from '../mask-buffer';
import type { SnapRequest, Tool, ToolHost, ToolOverlay, ToolPointer } from './types';

const DRAG_START = 3;

export class SnapTool implements Tool {
  readonly id = 'snap' as const;
  state: 'idle' | 'pointing' | 'boxing' | 'waiting' | 'proposing' = 'idle';
  private start: { x: number; y: number } | null = null;
  private current: { x: number; y: number } | null = null;
  private proposal: { map: LabelMap; req: SnapRequest } | null = null;
  private ticket = 0;
  /** The in-flight request, exposed so tests can await it. */
  pending: Promise<void> | null = null;

  pointerDown(p: ToolPointer, host: ToolHost): void {
    if (this.state === 'waiting') return;
    this.state = 'pointing';
    this.start = { x: p.x, y: p.y };
    this.current = { x: p.x, y: p.y };
    host.redraw();
  }

  pointerMove(p: ToolPointer, host: ToolHost): void {
    if (this.state !== 'pointing' && this.state !== 'boxing') return;
    this.current = { x: p.x, y: p.y };
    if (this.state === 'pointing' && this.start && Math.hypot(p.x - this.start.x, p.y - this.start.y) > DRAG_START) this.state = 'boxing';
    host.redraw();
  }

  pointerUp(p: ToolPointer, host: ToolHost): void {
    if ((this.state !== 'pointing' && this.state !== 'boxing') || !this.start) return;
    let req: SnapRequest;
    if (this.state === 'boxing') {
      const x = Math.max(0, Math.floor(Math.min(this.start.x, p.x)));
      const y = Math.max(0, Math.floor(Math.min(this.start.y, p.y)));
      const x1 = Math.min(host.buf.width, Math.ceil(Math.max(this.start.x, p.x)));
      const y1 = Math.min(host.buf.height, Math.ceil(Math.max(this.start.y, p.y)));
      req = { x: Math.floor((x + x1) / 2), y: Math.floor((y + y1) / 2), box: { x, y, width: x1 - x, height: y1 - y } };
    } else {
      req = { x: Math.floor(p.x), y: Math.floor(p.y) };
    }
    this.request(req, host);
  }

  private request(req: SnapRequest, host: ToolHost): void {
    this.state = 'waiting';
    this.proposal = null;
    const ticket = ++this.ticket;
    host.redraw();
    this.pending = host.snap(req).then(
      (map) => {
        if (ticket !== this.ticket) return;
        if (map.width !== host.buf.width || map.height !== host.buf.height) {
          this.state = 'idle';
          host.notify(`Snap returned a ${map.width}x${map.height} mask for a ${host.buf.width}x${host.buf.height} image.`);
        } else if (!map.labels.some((v) => v !== 0)) {
          this.state = 'idle';
          host.notify('The active contour found no cell there. Try a box around the cell.');
        } else {
          this.state = 'proposing';
          this.proposal = { map, req };
          host.notify('Enter accepts the proposal, Escape drops it, a click asks again.');
        }
        host.redraw();
      },
      (err: unknown) => {
        if (ticket !== this.ticket) return;
        this.state = 'idle';
        host.notify(`Snap failed: ${err instanceof Error ? err.message : String(err)}`);
        host.redraw();
      },
    );
  }

  keyDown(key: string, host: ToolHost): boolean {
    if (key === 'Enter' && this.state === 'proposing') {
      this.accept(host);
      return true;
    }
    if (key === 'Escape' && this.state !== 'idle') {
      this.cancel(host);
      return true;
    }
    return false;
  }

  /** Write the proposal as one cell, replacing the cell that was clicked. */
  accept(host: ToolHost): void {
    if (!this.proposal) return;
    const { map, req } = this.proposal;
    const buf = host.buf;
    const w = buf.width;
    const clicked = buf.instances[req.y * w + req.x];
    const id = clicked || maxInstance(buf) + 1;
    let rect: Rect | null = null;
    const mark = (i: number): void => {
      const x = i % w;
      const y = (i - x) / w;
      rect = unionRect(rect, { x0: x, y0: y, x1: x + 1, y1: y + 1 });
    };
    for (let i = 0; i < buf.labels.length; i++) {
      const v = map.labels[i];
      if (v !== 0) {
        if (buf.labels[i] !== v || buf.instances[i] !== id) {
          buf.labels[i] = v;
          buf.instances[i] = id;
          mark(i);
        }
      } else if (clicked && buf.instances[i] === clicked) {
        buf.labels[i] = 0;
        buf.instances[i] = 0;
        mark(i);
      }
    }
    host.touched(rect);
    host.selectInstance(id);
    host.commit('Snap cell');
    this.state = 'idle';
    this.proposal = null;
    host.redraw();
  }

  cancel(host: ToolHost): void {
    this.ticket++;
    this.state = 'idle';
    this.proposal = null;
    this.start = null;
    host.redraw();
  }

  overlay(): ToolOverlay | null {
    if (this.state === 'boxing' && this.start && this.current) {
      return {
        kind: 'box',
        x: Math.min(this.start.x, this.current.x),
        y: Math.min(this.start.y, this.current.y),
        width: Math.abs(this.current.x - this.start.x),
        height: Math.abs(this.current.y - this.start.y),
      };
    }
    if (this.state === 'waiting' && this.start) return { kind: 'pending', x: this.start.x, y: this.start.y };
    if (this.state === 'proposing' && this.proposal) return { kind: 'proposal', map: this.proposal.map, pending: false };
    return null;
  }
}
