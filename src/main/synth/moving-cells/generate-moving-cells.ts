// Sequences of touching, moving cells with instance labels, for the U-LSTM's edge-loss
// experiment (seeds.md E, seed 001). Pure TypeScript, deterministic per seed.
// Cells are wobbly blobs (../smear/shapes radialShape). Most come in clusters of 2-3 that
// touch and drift together (a common velocity, a slow common rotation, a little jitter each);
// a pixel two blobs claim goes to the one it is deeper inside (relative to its radius), so
// overlaps become shared straight-ish boundaries: touching, never occluding. Cells bounce off
// the border. Rendering: a textured background, each cell a grey level of its own with a
// slightly darker 1-px rim (so the boundary between touching cells is faint but present),
// blur and noise. Labels per frame: instance ids (stable across frames), the project's
// labels (cytoplasm = cell, edge = each cell's 1-px inner contour, shared/core).
import { LABEL } from '../../../shared/domain';
import { onContour, withContourEdges } from '../../../shared/core/cells';
import { gaussianBlur, Rng, valueNoise } from '../random';
import { insideness, radialShape, type RadialShape } from '../smear/shapes';

export interface MovingCellsParams {
  size: number;
  frames: number;
  seed: number;
  /** Clusters (each 1-3 cells); default scales with the area (5 at 64 px). */
  clusters?: number;
}

export interface MovingCellsSequence {
  width: number;
  height: number;
  /** Grey frames in [0, 1]. */
  frames: Float32Array[];
  /** Instance id per pixel and frame (0 = background); a cell keeps its id in every frame. */
  instances: Uint16Array[];
  /** Project labels per frame: 0 background, 1 cytoplasm (cell), 3 edge. */
  labels: Uint8Array[];
  /** Cells in the sequence (ids 1..cells). */
  cells: number;
}

interface Cell {
  cluster: number;
  shape: RadialShape;
  /** Offset from the cluster centre (rotates with the cluster). */
  ox: number;
  oy: number;
  grey: number;
}

interface Cluster {
  x: number;
  y: number;
  vx: number;
  vy: number;
  angle: number;
  spin: number;
  radius: number;
}

export function generateMovingCells(p: MovingCellsParams): MovingCellsSequence {
  const { size, frames: t } = p;
  const rng = new Rng(p.seed);
  const scale = size / 64;
  const nClusters = p.clusters ?? Math.max(1, Math.round(5 * scale * scale));
  const clusters: Cluster[] = [];
  const cells: Cell[] = [];
  for (let k = 0; k < nClusters; k++) {
    const members = rng.pick([1, 2, 2, 3, 3]);
    const radii = Array.from({ length: members }, () => rng.uniform(4.5, 8) * scale);
    // Touching: each next cell sits at 0.85 of the two radii from a cell already placed.
    const offsets: [number, number][] = [[0, 0]];
    for (let m = 1; m < members; m++) {
      const anchor = rng.int(0, m - 1);
      const a = rng.uniform(0, 2 * Math.PI);
      const d = 0.85 * (radii[anchor] + radii[m]);
      offsets.push([offsets[anchor][0] + d * Math.cos(a), offsets[anchor][1] + d * Math.sin(a)]);
    }
    const cx = offsets.reduce((s, o) => s + o[0], 0) / members;
    const cy = offsets.reduce((s, o) => s + o[1], 0) / members;
    const extent = Math.max(...offsets.map((o, m) => Math.hypot(o[0] - cx, o[1] - cy) + radii[m]));
    const speed = rng.uniform(0.4, 1.2) * scale;
    const dir = rng.uniform(0, 2 * Math.PI);
    clusters.push({ x: rng.uniform(extent, size - extent), y: rng.uniform(extent, size - extent), vx: speed * Math.cos(dir), vy: speed * Math.sin(dir), angle: 0, spin: rng.normal(0, 0.02), radius: extent });
    offsets.forEach((o, m) => cells.push({ cluster: k, shape: radialShape(rng, 0, 0, radii[m], { wobble: 0.12 }), ox: o[0] - cx, oy: o[1] - cy, grey: rng.uniform(0.55, 0.8) }));
  }
  const n = size * size;
  const background = valueNoise(size, size, Math.max(4, Math.round(12 * scale)), rng);
  const out: MovingCellsSequence = { width: size, height: size, frames: [], instances: [], labels: [], cells: cells.length };
  for (let f = 0; f < t; f++) {
    const ids = new Uint16Array(n);
    const depth = new Float32Array(n);
    cells.forEach((c, idx) => {
      const cl = clusters[c.cluster];
      const cos = Math.cos(cl.angle), sin = Math.sin(cl.angle);
      const shape: RadialShape = { ...c.shape, cx: cl.x + cos * c.ox - sin * c.oy + rng.normal(0, 0.1), cy: cl.y + sin * c.ox + cos * c.oy + rng.normal(0, 0.1) };
      const r = shape.r0 * 1.4 + 2;
      for (let y = Math.max(0, Math.floor(shape.cy - r)); y <= Math.min(size - 1, Math.ceil(shape.cy + r)); y++) {
        for (let x = Math.max(0, Math.floor(shape.cx - r)); x <= Math.min(size - 1, Math.ceil(shape.cx + r)); x++) {
          const d = insideness(shape, x + 0.5, y + 0.5) / shape.r0;
          const i = y * size + x;
          if (d > 0 && d > depth[i]) {
            depth[i] = d;
            ids[i] = idx + 1;
          }
        }
      }
    });
    const img = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      const id = ids[i];
      img[i] = id === 0 ? 0.22 + 0.08 * background[i] : cells[id - 1].grey * (0.93 + 0.07 * background[(i * 7) % n]);
    }
    // A darker rim: the faint line between touching cells the network has to find.
    for (let y = 0; y < size; y++) for (let x = 0; x < size; x++) if (ids[y * size + x] && onContour(ids, size, size, x, y)) img[y * size + x] *= 0.8;
    gaussianBlur(img, size, size, 1, 0.6);
    for (let i = 0; i < n; i++) img[i] = Math.min(1, Math.max(0, img[i] + rng.normal(0, 0.02)));
    const labels = new Uint8Array(n);
    for (let i = 0; i < n; i++) if (ids[i]) labels[i] = LABEL.cytoplasm;
    out.frames.push(img);
    out.instances.push(ids);
    out.labels.push(withContourEdges(labels, ids, size, size));
    // Move: drift, bounce off the border, slow rotation.
    for (const cl of clusters) {
      cl.vx += rng.normal(0, 0.05 * scale);
      cl.vy += rng.normal(0, 0.05 * scale);
      cl.x += cl.vx;
      cl.y += cl.vy;
      if (cl.x < cl.radius * 0.6 || cl.x > size - cl.radius * 0.6) cl.vx = -cl.vx;
      if (cl.y < cl.radius * 0.6 || cl.y > size - cl.radius * 0.6) cl.vy = -cl.vy;
      cl.x = Math.min(size - cl.radius * 0.6, Math.max(cl.radius * 0.6, cl.x));
      cl.y = Math.min(size - cl.radius * 0.6, Math.max(cl.radius * 0.6, cl.y));
      cl.angle += cl.spin;
    }
  }
  return out;
}

/** Pairs of touching cells in a frame: ids (a < b) with a 4-neighbour pixel pair. */
export function touchingPairs(ids: Uint16Array, w: number, h: number): [number, number][] {
  const seen = new Set<number>();
  const out: [number, number][] = [];
  const add = (a: number, b: number): void => {
    if (!a || !b || a === b) return;
    const [lo, hi] = a < b ? [a, b] : [b, a];
    const key = lo * 65536 + hi;
    if (!seen.has(key)) {
      seen.add(key);
      out.push([lo, hi]);
    }
  };
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      if (x + 1 < w) add(ids[i], ids[i + 1]);
      if (y + 1 < h) add(ids[i], ids[i + w]);
    }
  }
  return out;
}
