// Cell instance tools.
//   select: click picks the cell under the pointer (0 clears); Delete erases it.
//   split:  idle --down--> cutting (drag a line across the cell) --up--> pieces, idle
//   merge:  idle --click cell A--> picked --click cell B--> B joins A, idle
import { deleteInstance, mergeInstances, splitInstance } from '../instances';
import type { Tool, ToolHost, ToolOverlay, ToolPointer } from './types';

function instanceAt(host: ToolHost, p: ToolPointer): number {
  const x = Math.floor(p.x);
  const y = Math.floor(p.y);
  if (x < 0 || y < 0 || x >= host.buf.width || y >= host.buf.height) return 0;
  return host.buf.instances[y * host.buf.width + x];
}

export class SelectTool implements Tool {
  readonly id = 'select' as const;
  readonly state = 'idle';

  pointerDown(p: ToolPointer, host: ToolHost): void {
    host.selectInstance(instanceAt(host, p));
  }
  pointerMove(): void {}
  pointerUp(): void {}

  keyDown(key: string, host: ToolHost): boolean {
    if ((key === 'Delete' || key === 'Backspace') && host.selectedInstance) {
      host.touched(deleteInstance(host.buf, host.selectedInstance));
      host.selectInstance(0);
      host.commit('Delete cell');
      return true;
    }
    if (key === 'Escape' && host.selectedInstance) {
      host.selectInstance(0);
      return true;
    }
    return false;
  }
  cancel(): void {}
  overlay(): ToolOverlay | null {
    return null;
  }
}

export class SplitTool implements Tool {
  readonly id = 'split' as const;
  state: 'idle' | 'cutting' = 'idle';
  private points: number[] = [];

  pointerDown(p: ToolPointer, host: ToolHost): void {
    this.state = 'cutting';
    this.points = [p.x, p.y];
    host.redraw();
  }

  pointerMove(p: ToolPointer, host: ToolHost): void {
    if (this.state !== 'cutting') return;
    const n = this.points.length;
    if (Math.hypot(p.x - this.points[n - 2], p.y - this.points[n - 1]) >= 0.5) this.points.push(p.x, p.y);
    host.redraw();
  }

  pointerUp(p: ToolPointer, host: ToolHost): void {
    if (this.state !== 'cutting') return;
    this.pointerMove(p, host);
    const line = this.points;
    this.state = 'idle';
    this.points = [];
    const result = line.length >= 4 ? splitInstance(host.buf, line, host.selectedInstance || undefined) : null;
    if (!result) {
      host.notify('The cut does not separate a cell: drag a line right across it.');
      host.redraw();
      return;
    }
    host.touched(result.rect);
    host.selectInstance(result.id);
    host.commit(`Split cell into ${result.pieces.length}`);
    host.redraw();
  }

  keyDown(key: string, host: ToolHost): boolean {
    if (key === 'Escape' && this.state === 'cutting') {
      this.cancel(host);
      return true;
    }
    return false;
  }

  cancel(host: ToolHost): void {
    this.state = 'idle';
    this.points = [];
    host.redraw();
  }

  overlay(): ToolOverlay | null {
    return this.state === 'cutting' ? { kind: 'path', points: this.points, closed: false, anchor: false } : null;
  }
}

export class MergeTool implements Tool {
  readonly id = 'merge' as const;
  state: 'idle' | 'picked' = 'idle';
  private first = 0;

  pointerDown(p: ToolPointer, host: ToolHost): void {
    const id = instanceAt(host, p);
    if (!id) {
      host.notify('Click inside a cell.');
      return;
    }
    if (this.state === 'idle') {
      this.first = id;
      this.state = 'picked';
      host.selectInstance(id);
      host.notify('Now click the cell to merge into it.');
      return;
    }
    if (id === this.first) return;
    host.touched(mergeInstances(host.buf, this.first, id));
    host.selectInstance(this.first);
    this.state = 'idle';
    host.commit('Merge cells');
  }
  pointerMove(): void {}
  pointerUp(): void {}

  keyDown(key: string, host: ToolHost): boolean {
    if (key === 'Escape' && this.state === 'picked') {
      this.cancel(host);
      return true;
    }
    return false;
  }

  cancel(host: ToolHost): void {
    this.state = 'idle';
    this.first = 0;
    host.redraw();
  }

  overlay(): ToolOverlay | null {
    return null;
  }
}
