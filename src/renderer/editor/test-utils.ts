// Helpers for the editor tests: build masks from ASCII art and drive a session with pointer
// sequences. Only imported by *.test.ts files.
import type { LabelMap } from '../../shared/domain';
import { EditorSession, type SessionOptions } from './session';
import type { ToolPointer } from './tools';

/** Rows of characters: '.' background, 'c' cytoplasm, 'n' nucleus, 'e' edge; digits 1-9 = cytoplasm of that instance. */
export function fromAscii(rows: string[]): LabelMap {
  const height = rows.length;
  const width = rows[0].length;
  const labels = new Uint8Array(width * height);
  const instances = new Uint16Array(width * height);
  let hasInstances = false;
  rows.forEach((row, y) =>
    [...row].forEach((ch, x) => {
      const i = y * width + x;
      if (ch === 'c') labels[i] = 1;
      else if (ch === 'n') labels[i] = 2;
      else if (ch === 'e') labels[i] = 3;
      else if (/[1-9]/.test(ch)) {
        labels[i] = 1;
        instances[i] = Number(ch);
        hasInstances = true;
      }
    }),
  );
  return hasInstances ? { width, height, labels, instances } : { width, height, labels };
}

export function toAscii(m: { width: number; height: number; labels: Uint8Array }): string[] {
  const chars = ['.', 'c', 'n', 'e'];
  const out: string[] = [];
  for (let y = 0; y < m.height; y++) {
    let row = '';
    for (let x = 0; x < m.width; x++) row += chars[m.labels[y * m.width + x]] ?? '?';
    out.push(row);
  }
  return out;
}

export function instancesAscii(m: { width: number; height: number; instances: Uint16Array }): string[] {
  const out: string[] = [];
  for (let y = 0; y < m.height; y++) {
    let row = '';
    for (let x = 0; x < m.width; x++) {
      const id = m.instances[y * m.width + x];
      row += id === 0 ? '.' : id < 10 ? String(id) : '#';
    }
    out.push(row);
  }
  return out;
}

export function pt(x: number, y: number, extra: Partial<ToolPointer> = {}): ToolPointer {
  return { x, y, button: 0, shift: false, ctrl: false, alt: false, ...extra };
}

/** Press at the first point, move through the rest, release at the last. */
export function drag(s: EditorSession, points: [number, number][], extra: Partial<ToolPointer> = {}): void {
  const [first, ...rest] = points;
  s.pointerDown(pt(first[0], first[1], extra));
  for (const [x, y] of rest) s.pointerMove(pt(x, y, extra));
  const last = points[points.length - 1];
  s.pointerUp(pt(last[0], last[1], extra));
}

export function click(s: EditorSession, x: number, y: number, extra: Partial<ToolPointer> = {}): void {
  drag(s, [[x, y]], extra);
}

export function session(source: LabelMap | { width: number; height: number }, opts?: SessionOptions): EditorSession {
  return new EditorSession(source, { autoEdges: false, ...opts });
}
