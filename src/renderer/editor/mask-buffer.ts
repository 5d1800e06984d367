// The editable mask of one image session: a label map plus an instance map that is always
// present while editing (derived from connected components when the stored mask has none),
// so cell tools can rely on it. Pure TS, no DOM.
import type { LabelMap } from '../../shared/domain';

export interface MaskBuffer {
  readonly width: number;
  readonly height: number;
  readonly labels: Uint8Array;
  readonly instances: Uint16Array;
}

/** Half-open pixel rectangle [x0,x1) x [y0,y1). */
export interface Rect {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

export function emptyBuffer(width: number, height: number): MaskBuffer {
  return { width, height, labels: new Uint8Array(width * height), instances: new Uint16Array(width * height) };
}

export function isCell(label: number): boolean {
  return label === 1 || label === 2;
}

export function fullRect(buf: { width: number; height: number }): Rect {
  return { x0: 0, y0: 0, x1: buf.width, y1: buf.height };
}

export function unionRect(a: Rect | null, b: Rect | null): Rect | null {
  if (!a) return b;
  if (!b) return a;
  return { x0: Math.min(a.x0, b.x0), y0: Math.min(a.y0, b.y0), x1: Math.max(a.x1, b.x1), y1: Math.max(a.y1, b.y1) };
}

export function clipRect(r: Rect, buf: { width: number; height: number }): Rect | null {
  const x0 = Math.max(0, r.x0);
  const y0 = Math.max(0, r.y0);
  const x1 = Math.min(buf.width, r.x1);
  const y1 = Math.min(buf.height, r.y1);
  return x1 > x0 && y1 > y0 ? { x0, y0, x1, y1 } : null;
}

export function growRect(r: Rect, by: number): Rect {
  return { x0: r.x0 - by, y0: r.y0 - by, x1: r.x1 + by, y1: r.y1 + by };
}

export function maxInstance(buf: MaskBuffer): number {
  let m = 0;
  const inst = buf.instances;
  for (let i = 0; i < inst.length; i++) if (inst[i] > m) m = inst[i];
  return m;
}

export function cloneBuffer(buf: MaskBuffer): MaskBuffer {
  return { width: buf.width, height: buf.height, labels: buf.labels.slice(), instances: buf.instances.slice() };
}

export function toLabelMap(buf: MaskBuffer): LabelMap {
  return { width: buf.width, height: buf.height, labels: buf.labels.slice(), instances: buf.instances.slice() };
}
