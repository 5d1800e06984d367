// One undo/redo history of immutable snapshots per image session (Excalidraw's model).
// A snapshot is a grid of frozen tiles; capturing a new one reuses every tile that did not
// change, so a brush stroke on a 480x480 mask costs a few kilobytes, not a full copy, and
// hundreds of steps fit in memory.
import type { MaskBuffer } from './mask-buffer';

export const TILE = 64;

export interface Snapshot {
  readonly width: number;
  readonly height: number;
  readonly labelTiles: readonly Uint8Array[];
  readonly instanceTiles: readonly Uint16Array[];
}

function tileGrid(width: number, height: number): { cols: number; rows: number } {
  return { cols: Math.ceil(width / TILE), rows: Math.ceil(height / TILE) };
}

function tileEquals<T extends Uint8Array | Uint16Array>(src: T, width: number, tx: number, ty: number, tw: number, th: number, tile: T): boolean {
  for (let y = 0; y < th; y++) {
    const row = (ty + y) * width + tx;
    const t = y * tw;
    for (let x = 0; x < tw; x++) if (src[row + x] !== tile[t + x]) return false;
  }
  return true;
}

function copyTile<T extends Uint8Array | Uint16Array>(src: T, width: number, tx: number, ty: number, tw: number, th: number, out: T): T {
  for (let y = 0; y < th; y++) out.set(src.subarray((ty + y) * width + tx, (ty + y) * width + tx + tw), y * tw);
  return out;
}

/** Capture the buffer, sharing unchanged tiles with `prev`. */
export function capture(buf: MaskBuffer, prev?: Snapshot): Snapshot {
  const { width, height } = buf;
  const { cols, rows } = tileGrid(width, height);
  const same = prev && prev.width === width && prev.height === height;
  const labelTiles: Uint8Array[] = [];
  const instanceTiles: Uint16Array[] = [];
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const k = r * cols + c;
      const tx = c * TILE;
      const ty = r * TILE;
      const tw = Math.min(TILE, width - tx);
      const th = Math.min(TILE, height - ty);
      const pl = same ? prev.labelTiles[k] : undefined;
      const pi = same ? prev.instanceTiles[k] : undefined;
      labelTiles.push(pl && tileEquals(buf.labels, width, tx, ty, tw, th, pl) ? pl : copyTile(buf.labels, width, tx, ty, tw, th, new Uint8Array(tw * th)));
      instanceTiles.push(pi && tileEquals(buf.instances, width, tx, ty, tw, th, pi) ? pi : copyTile(buf.instances, width, tx, ty, tw, th, new Uint16Array(tw * th)));
    }
  }
  return Object.freeze({ width, height, labelTiles: Object.freeze(labelTiles), instanceTiles: Object.freeze(instanceTiles) });
}

/** True when two snapshots share every tile (nothing changed between them). */
export function sameContent(a: Snapshot, b: Snapshot): boolean {
  if (a === b) return true;
  if (a.width !== b.width || a.height !== b.height) return false;
  for (let k = 0; k < a.labelTiles.length; k++) {
    if (a.labelTiles[k] !== b.labelTiles[k] || a.instanceTiles[k] !== b.instanceTiles[k]) return false;
  }
  return true;
}

/** Write a snapshot back into a buffer of the same size. */
export function restore(snap: Snapshot, buf: MaskBuffer): void {
  const { width, height } = snap;
  const { cols, rows } = tileGrid(width, height);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const k = r * cols + c;
      const tx = c * TILE;
      const ty = r * TILE;
      const tw = Math.min(TILE, width - tx);
      const th = Math.min(TILE, height - ty);
      const lt = snap.labelTiles[k];
      const it = snap.instanceTiles[k];
      for (let y = 0; y < th; y++) {
        buf.labels.set(lt.subarray(y * tw, y * tw + tw), (ty + y) * width + tx);
        buf.instances.set(it.subarray(y * tw, y * tw + tw), (ty + y) * width + tx);
      }
    }
  }
}

export interface HistoryEntry {
  readonly snapshot: Snapshot;
  /** What the user did, e.g. "Brush (nucleus)". */
  readonly label: string;
  readonly time: number;
}

/** A linear history: pushing after an undo drops the redo branch. */
export class History {
  private entries: HistoryEntry[];
  private index = 0;

  constructor(initial: Snapshot, private readonly limit = 1000) {
    this.entries = [{ snapshot: initial, label: 'Start', time: Date.now() }];
  }

  get current(): HistoryEntry {
    return this.entries[this.index];
  }

  get position(): number {
    return this.index;
  }

  list(): readonly HistoryEntry[] {
    return this.entries;
  }

  canUndo(): boolean {
    return this.index > 0;
  }

  canRedo(): boolean {
    return this.index < this.entries.length - 1;
  }

  /** Append a step; a snapshot identical to the current one is not a step. Returns whether it was added. */
  push(snapshot: Snapshot, label: string): boolean {
    if (sameContent(snapshot, this.current.snapshot)) return false;
    this.entries = this.entries.slice(0, this.index + 1);
    this.entries.push({ snapshot, label, time: Date.now() });
    if (this.entries.length > this.limit) this.entries.splice(1, this.entries.length - this.limit);
    this.index = this.entries.length - 1;
    return true;
  }

  /** Start over from one snapshot (a new starting mask): earlier steps are dropped. */
  reset(snapshot: Snapshot, label = 'Start'): void {
    this.entries = [{ snapshot, label, time: Date.now() }];
    this.index = 0;
  }

  undo(): HistoryEntry | null {
    if (!this.canUndo()) return null;
    this.index--;
    return this.current;
  }

  redo(): HistoryEntry | null {
    if (!this.canRedo()) return null;
    this.index++;
    return this.current;
  }
}
