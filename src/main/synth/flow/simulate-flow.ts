import { gaussianBlur, Rng } from '../random';
import { seed000Split } from '../../project/frame-protocols';
import type { FrameSplit } from '../../../shared/domain';

/** Parameters of the simulated film of flowing red blood cells (seeds.md section D). */
export interface FlowParams {
  seed: number;
  frames: number;
  size: number;
  cells: number;
  semiMinor: [number, number];
  /** Semi-major = semi-minor x U(range): the source fixes only the semi-minor axis. */
  aspect: [number, number];
  /** Mean step per frame, x then y in image axes (x right, +y DOWN; see DEFAULT_FLOW). */
  drift: [number, number];
  driftSd: number;
  rotationSd: number;
  background: [number, number];
  backgroundNoise: number;
  cell: [number, number];
  cellNoise: number;
  blurSd: number;
  saltPepper: number;
}

export const DEFAULT_FLOW: Omit<FlowParams, 'seed'> = {
  frames: 500,
  size: 128,
  cells: 40,
  semiMinor: [3, 10],
  aspect: [1, 1.6],
  // The report writes x' = x - 0.2, y' = y + 0.5 in axes whose y points up: on screen the
  // cells drift 0.2 px left and 0.5 px UP per frame, i.e. -0.5 in image rows.
  drift: [-0.2, -0.5],
  driftSd: 1.2,
  rotationSd: 0.3,
  background: [0.2, 0.3],
  backgroundNoise: 0.01,
  cell: [0.3, 0.4],
  cellNoise: 0.001,
  blurSd: 0.2,
  saltPepper: 0.001,
};

export interface FlowFilm {
  params: FlowParams;
  width: number;
  height: number;
  /** Rendered frames, intensities 0..1. */
  frames: Float32Array[];
  /** Ground truth per frame: 1 cell, 0 background. */
  truth: Uint8Array[];
  /** Displacement of every cell at every step: [dx, dy] pairs, steps x cells. */
  steps: Float32Array;
  /** Salt-and-pepper pixels per frame (salt, pepper). */
  impulses: { salt: number; pepper: number }[];
  backgroundLevel: number;
  cellLevels: Float32Array;
}

interface Cell {
  x: number;
  y: number;
  a: number; // semi-major
  b: number; // semi-minor
  angle: number;
  level: number;
}

/**
 * Cells that drift out of the frame re-enter on the opposite side (the frame is a torus),
 * so the density stays exactly constant and no cell is ever created or lost; a cell
 * crossing an edge is drawn on both sides.
 */
export function simulateFlow(overrides: Partial<FlowParams> & { seed: number }): FlowFilm {
  const p: FlowParams = { ...DEFAULT_FLOW, ...overrides };
  if (!Number.isInteger(p.frames) || p.frames < 1 || p.frames > 100_000) throw new Error(`frames must be 1-100000, got ${p.frames}`);
  if (!Number.isInteger(p.size) || p.size < 16 || p.size > 2048) throw new Error(`size must be 16-2048, got ${p.size}`);
  const rng = new Rng(p.seed);
  const S = p.size;
  const backgroundLevel = rng.uniform(p.background[0], p.background[1]);
  const cells: Cell[] = [];
  for (let k = 0; k < p.cells; k++) {
    const b = rng.uniform(p.semiMinor[0], p.semiMinor[1]);
    cells.push({ x: rng.uniform(0, S), y: rng.uniform(0, S), b, a: b * rng.uniform(p.aspect[0], p.aspect[1]), angle: rng.uniform(0, Math.PI), level: rng.uniform(p.cell[0], p.cell[1]) });
  }
  const frames: Float32Array[] = [];
  const truth: Uint8Array[] = [];
  const impulses: FlowFilm['impulses'] = [];
  const steps = new Float32Array(Math.max(0, p.frames - 1) * p.cells * 2);
  for (let f = 0; f < p.frames; f++) {
    if (f > 0) {
      cells.forEach((c, k) => {
        const dx = p.drift[0] + rng.normal(0, p.driftSd);
        const dy = p.drift[1] + rng.normal(0, p.driftSd);
        steps[((f - 1) * p.cells + k) * 2] = dx;
        steps[((f - 1) * p.cells + k) * 2 + 1] = dy;
        c.x = (((c.x + dx) % S) + S) % S;
        c.y = (((c.y + dy) % S) + S) % S;
        c.angle += rng.normal(0, p.rotationSd);
      });
    }
    const gt = new Uint8Array(S * S);
    const owner = new Float32Array(S * S).fill(-1);
    for (const c of cells) rasterEllipse(c, S, (i) => {
      gt[i] = 1;
      owner[i] = c.level;
    });
    const img = new Float32Array(S * S);
    for (let i = 0; i < S * S; i++) {
      img[i] = owner[i] >= 0 ? owner[i] + rng.normal(0, p.cellNoise) : backgroundLevel + rng.normal(0, p.backgroundNoise);
    }
    gaussianBlur(img, S, S, 1, p.blurSd);
    let salt = 0, pepper = 0;
    for (let i = 0; i < S * S; i++) {
      if (rng.next() < p.saltPepper) {
        if (rng.next() < 0.5) {
          img[i] = 1;
          salt++;
        } else {
          img[i] = 0;
          pepper++;
        }
      } else {
        img[i] = Math.min(1, Math.max(0, img[i]));
      }
    }
    frames.push(img);
    truth.push(gt);
    impulses.push({ salt, pepper });
  }
  return { params: p, width: S, height: S, frames, truth, steps, impulses, backgroundLevel, cellLevels: Float32Array.from(cells.map((c) => c.level)) };
}

function rasterEllipse(c: Cell, S: number, set: (i: number) => void): void {
  const ca = Math.cos(c.angle), sa = Math.sin(c.angle);
  const R = Math.ceil(c.a) + 1;
  // Draw at the wrapped copies too, so a cell crossing an edge shows on both sides.
  for (const ox of [-S, 0, S]) {
    for (const oy of [-S, 0, S]) {
      const cx = c.x + ox, cy = c.y + oy;
      if (cx + R < 0 || cy + R < 0 || cx - R >= S || cy - R >= S) continue;
      for (let y = Math.max(0, Math.floor(cy - R)); y <= Math.min(S - 1, Math.ceil(cy + R)); y++) {
        for (let x = Math.max(0, Math.floor(cx - R)); x <= Math.min(S - 1, Math.ceil(cx + R)); x++) {
          const dx = x + 0.5 - cx, dy = y + 0.5 - cy;
          const u = (dx * ca + dy * sa) / c.a, v = (-dx * sa + dy * ca) / c.b;
          if (u * u + v * v <= 1) set(y * S + x);
        }
      }
    }
  }
}

/** The split of section D: train 0,10..390; validation 400..490; test 5,15..495; every other frame 'unused'. */
export function flowSplitOf(frame: number): FrameSplit {
  return seed000Split(frame);
}
