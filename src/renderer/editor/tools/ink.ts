// Which instance id a cell-class edit writes: the cell being edited (under the pointer or
// around the edited pixels), else the selected cell, else a new cell.
import { isCell, maxInstance } from '../mask-buffer';
import { dominantInstance } from '../instances';
import type { Ink } from '../raster';
import type { ToolHost } from './types';

export function inkFor(host: ToolHost, label: number, pixels: ArrayLike<number>): Ink & { fresh: boolean } {
  if (label === 0) return { label, instance: 0, fresh: false };
  // Edge pixels belong to the contour of whatever cell they are drawn on.
  if (!isCell(label)) return { label, instance: 'keep', fresh: false };
  const known = dominantInstance(host.buf, pixels) || host.selectedInstance;
  return { label, instance: known || maxInstance(host.buf) + 1, onlyUnowned: true, fresh: !known };
}
