// The tool protocol (tldraw-style): each tool is a small state machine that receives
// pointer and keyboard events in image-pixel coordinates and edits the session's buffer
// through a ToolHost. No React, no DOM: tests drive tools with plain pointer sequences.
import type { LabelMap } from '../../../shared/domain';
import type { MaskBuffer, Rect } from '../mask-buffer';

export type ToolId = 'brush' | 'eraser' | 'polygon' | 'bucket' | 'snap' | 'select' | 'split' | 'merge';

export interface ToolPointer {
  /** Image-pixel coordinates (pixel (i, j) covers [i, i+1) x [j, j+1)). */
  x: number;
  y: number;
  /** 0 primary, 2 secondary (secondary = erase for brush-like tools). */
  button: number;
  shift: boolean;
  ctrl: boolean;
  alt: boolean;
}

export interface SnapRequest {
  x: number;
  y: number;
  box?: { x: number; y: number; width: number; height: number };
}

/** Previews a tool wants drawn above the mask. */
export type ToolOverlay =
  | { kind: 'path'; points: number[]; closed: boolean; anchor: boolean }
  | { kind: 'box'; x: number; y: number; width: number; height: number }
  | { kind: 'proposal'; map: LabelMap; pending: boolean }
  | { kind: 'pending'; x: number; y: number };

export interface ToolHost {
  readonly buf: MaskBuffer;
  readonly activeClass: number;
  /** Brush diameter in image pixels. */
  readonly brushSize: number;
  readonly selectedInstance: number;
  /** How close (image pixels) a click must be to grab a vertex; the view sets it from the zoom. */
  readonly pickRadius: number;
  selectInstance(id: number): void;
  /** Pixels inside `r` changed (the view re-colours only that region). */
  touched(r: Rect | null): void;
  /** One user intent is complete: append a history step. */
  commit(label: string): void;
  /** Throw away edits since the last commit. */
  revert(): void;
  /** Tool state or overlay changed. */
  redraw(): void;
  /** A short message for the status line (e.g. why a split did nothing). */
  notify(message: string): void;
  /** Ask the active contour for a cell proposal (baseline.snap). */
  snap(req: SnapRequest): Promise<LabelMap>;
}

export interface Tool {
  readonly id: ToolId;
  /** Current state name, e.g. 'idle' | 'painting' | 'drawing' | 'proposing'. */
  readonly state: string;
  pointerDown(p: ToolPointer, host: ToolHost): void;
  pointerMove(p: ToolPointer, host: ToolHost): void;
  pointerUp(p: ToolPointer, host: ToolHost): void;
  /** Return true when the key was used (Enter, Escape, Backspace, ...). */
  keyDown(key: string, host: ToolHost): boolean;
  /** Leave the tool (switching tools, changing image): drop anything in progress. */
  cancel(host: ToolHost): void;
  overlay(): ToolOverlay | null;
}

export const LABEL_TITLE = ['background', 'cytoplasm', 'nucleus', 'edge'] as const;
