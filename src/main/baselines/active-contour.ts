import { LABEL, type LabelMap, type RgbImage } from '../../shared/domain';
import { markEdges } from '../synth/smear/generate-smear';
import { components, dilate, erode, fillHoles, infSup, otsu3, supInf } from './morphology';

/**
 * Documented parameters of the active-contour baseline (README "Active-contour baseline").
 * Contour evolution is the morphological Chan-Vese model (Marquez-Neila et al. 2014): an
 * area-based (region) energy with a curvature smoothing step, like the area-based snake
 * of section A.
 */
export interface ActiveContourParams {
  /** Largest side the contour is evolved at; bigger images are processed downscaled. */
  workingSize: number;
  nucleusIterations: number;
  cellIterations: number;
  /** Smoothing steps per iteration (the snake's stiffness). */
  smoothing: number;
  /** Smallest nucleus part kept, as a fraction of the largest. */
  minNucleusFraction: number;
  /** Floor of the nucleus threshold on the darkness feature (0-255). */
  minNucleusDarkness: number;
  /** Weight of the region terms inside (lambda1) and outside (lambda2). */
  lambdaIn: number;
  lambdaOut: number;
}

export const DEFAULT_AC: ActiveContourParams = {
  workingSize: 200,
  nucleusIterations: 25,
  cellIterations: 120,
  smoothing: 1,
  minNucleusFraction: 0.08,
  minNucleusDarkness: 115,
  lambdaIn: 1,
  lambdaOut: 1.6,
};

interface Work {
  w: number;
  h: number;
  rgb: Float32Array;
}

function toWorking(img: RgbImage, size: number): { work: Work; factor: number } {
  const factor = Math.max(1, Math.max(img.width, img.height) / size);
  const w = Math.max(1, Math.round(img.width / factor)), h = Math.max(1, Math.round(img.height / factor));
  const rgb = new Float32Array(w * h * 3);
  // Box-average downscale (area sampling) keeps colours representative.
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const x0 = Math.floor(x * factor), x1 = Math.max(x0 + 1, Math.floor((x + 1) * factor));
      const y0 = Math.floor(y * factor), y1 = Math.max(y0 + 1, Math.floor((y + 1) * factor));
      let r = 0, g = 0, b = 0, n = 0;
      for (let yy = y0; yy < Math.min(y1, img.height); yy++) {
        for (let xx = x0; xx < Math.min(x1, img.width); xx++) {
          const i = (yy * img.width + xx) * 3;
          r += img.data[i];
          g += img.data[i + 1];
          b += img.data[i + 2];
          n++;
        }
      }
      const o = (y * w + x) * 3;
      rgb[o] = r / n;
      rgb[o + 1] = g / n;
      rgb[o + 2] = b / n;
    }
  }
  return { work: { w, h, rgb }, factor };
}

/** Morphological Chan-Vese on a scalar feature: region competition plus curvature smoothing. */
function chanVese(f: Float32Array, init: Uint8Array, w: number, h: number, iterations: number, p: ActiveContourParams, limit?: Uint8Array): Uint8Array {
  let u: Uint8Array = new Uint8Array(init);
  for (let it = 0; it < iterations; it++) {
    let s1 = 0, n1 = 0, s0 = 0, n0 = 0;
    for (let i = 0; i < u.length; i++) {
      // With a limit the energy is local: only the region the contour may reach counts.
      if (limit && !limit[i]) continue;
      if (u[i]) {
        s1 += f[i];
        n1++;
      } else {
        s0 += f[i];
        n0++;
      }
    }
    if (!n1 || !n0) break;
    const c1 = s1 / n1, c0 = s0 / n0;
    const next = new Uint8Array(u);
    let changed = 0;
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const i = y * w + x;
        // Only the contour moves: pixels with a 4-neighbour on the other side.
        const v = u[i];
        const boundary = (x > 0 && u[i - 1] !== v) || (x < w - 1 && u[i + 1] !== v) || (y > 0 && u[i - w] !== v) || (y < h - 1 && u[i + w] !== v);
        if (!boundary) continue;
        const aux = p.lambdaIn * (f[i] - c1) ** 2 - p.lambdaOut * (f[i] - c0) ** 2;
        const nv = aux < 0 ? 1 : aux > 0 ? 0 : v;
        if (nv !== v && (!limit || limit[i] || !nv)) {
          next[i] = nv;
          changed++;
        }
      }
    }
    u = next;
    for (let s = 0; s < p.smoothing; s++) u = it % 2 ? infSup(supInf(u, w, h), w, h) : supInf(infSup(u, w, h), w, h);
    if (changed === 0) break;
  }
  return u;
}

/** Nuclei: dark and purple. Feature = darkness of green plus purple excess, Otsu, then the contour. */
function findNuclei(work: Work, p: ActiveContourParams): Uint8Array {
  const { w, h, rgb } = work;
  const f = new Float32Array(w * h);
  for (let i = 0; i < w * h; i++) {
    const r = rgb[i * 3], g = rgb[i * 3 + 1], b = rgb[i * 3 + 2];
    f[i] = Math.max(0, Math.min(255, 0.7 * (255 - g) + 0.6 * ((r + b) / 2 - g)));
  }
  // Three classes by darkness: background and red cells, cytoplasm, nucleus.
  // A floor keeps an empty field (red cells only) from yielding a "nucleus": stained
  // nuclei score ~190 on this feature, cytoplasm ~60-100, red cells and background < 40.
  const t = Math.max(otsu3(f)[1], p.minNucleusDarkness);
  let init: Uint8Array = new Uint8Array(w * h);
  for (let i = 0; i < f.length; i++) init[i] = f[i] > t ? 1 : 0;
  init = erode(dilate(init, w, h), w, h); // close small gaps in the chromatin
  // Local energy: inside vs the cytoplasm right around it, not vs the whole background.
  const rN = Math.sqrt(Math.max(1, init.reduce((a, v) => a + v, 0)) / Math.PI);
  const local = dilate(init, w, h, Math.max(2, Math.round(rN * 0.35)));
  const u = chanVese(f, init, w, h, p.nucleusIterations, { ...p, lambdaOut: 1 }, local);
  return keepSignificant(fillHoles(u, w, h), w, h, p.minNucleusFraction);
}

function keepSignificant(m: Uint8Array, w: number, h: number, minFraction: number): Uint8Array {
  const { ids, areas } = components(m, w, h);
  const largest = Math.max(0, ...areas);
  const minArea = Math.max(4, largest * minFraction);
  return Uint8Array.from(ids, (id) => (id && areas[id] >= minArea ? 1 : 0));
}

/**
 * Group nucleus parts that belong to one cell (the lobes of a segmented nucleus): parts
 * whose gap is under half a nucleus radius join; groups much smaller than the largest
 * (stray dark debris, platelets) are dropped.
 */
function groupNuclei(n: Uint8Array, w: number, h: number): Int32Array {
  const area = n.reduce((a, v) => a + v, 0);
  if (!area) return new Int32Array(n.length);
  const partAreas = components(n, w, h).areas;
  const rN = Math.sqrt(Math.max(...partAreas) / Math.PI);
  const joined = components(dilate(n, w, h, Math.max(1, Math.round(rN * 0.5))), w, h).ids;
  const groupArea = new Map<number, number>();
  for (let i = 0; i < n.length; i++) if (n[i]) groupArea.set(joined[i], (groupArea.get(joined[i]) ?? 0) + 1);
  const largest = Math.max(...groupArea.values());
  const label = new Map<number, number>();
  return Int32Array.from(joined, (g, i) => {
    if (!n[i] || (groupArea.get(g) ?? 0) < largest * 0.25) return 0;
    if (!label.has(g)) label.set(g, label.size + 1);
    return label.get(g)!;
  });
}

/**
 * The whole cell: the contour starts just outside the nucleus and expands over pixels that
 * look like this cell's cytoplasm (sampled in a ring around the nucleus) rather than like
 * the background and red cells (sampled far from it).
 */
function findCells(work: Work, nuclei: Uint8Array, p: ActiveContourParams): Uint8Array {
  const { w, h, rgb } = work;
  const nArea = nuclei.reduce((a, v) => a + v, 0);
  if (!nArea) return new Uint8Array(w * h);
  const rN = Math.sqrt(nArea / Math.PI);
  const ringOuter = dilate(nuclei, w, h, Math.max(2, Math.round(rN * 0.35)));
  const ringInner = dilate(nuclei, w, h, 1);
  const far = dilate(nuclei, w, h, Math.max(4, Math.round(rN * 1.8))).map((v) => 1 - v);
  const mean = (sel: Uint8Array): [number, number, number] | null => {
    let r = 0, g = 0, b = 0, n = 0;
    for (let i = 0; i < sel.length; i++) {
      if (!sel[i]) continue;
      r += rgb[i * 3];
      g += rgb[i * 3 + 1];
      b += rgb[i * 3 + 2];
      n++;
    }
    return n ? [r / n, g / n, b / n] : null;
  };
  const ring = ringOuter.map((v, i) => (v && !ringInner[i] ? 1 : 0));
  const cyto = mean(ring);
  // Two background prototypes (plain background and red cells) by a tiny 2-means.
  const farIdx: number[] = [];
  for (let i = 0; i < far.length; i++) if (far[i]) farIdx.push(i);
  if (!cyto || farIdx.length < 10) return fillHoles(dilate(nuclei, w, h, Math.round(rN * 0.4)), w, h);
  const lum = (i: number): number => rgb[i * 3] + rgb[i * 3 + 1] + rgb[i * 3 + 2];
  farIdx.sort((a, b) => lum(a) - lum(b));
  let protos: [number, number, number][] = [farIdx[Math.floor(farIdx.length * 0.2)], farIdx[Math.floor(farIdx.length * 0.8)]].map((i) => [rgb[i * 3], rgb[i * 3 + 1], rgb[i * 3 + 2]]);
  for (let it = 0; it < 6; it++) {
    const acc = [[0, 0, 0, 0], [0, 0, 0, 0]];
    for (const i of farIdx) {
      const d = protos.map((c) => (rgb[i * 3] - c[0]) ** 2 + (rgb[i * 3 + 1] - c[1]) ** 2 + (rgb[i * 3 + 2] - c[2]) ** 2);
      const k = d[0] <= d[1] ? 0 : 1;
      acc[k][0] += rgb[i * 3];
      acc[k][1] += rgb[i * 3 + 1];
      acc[k][2] += rgb[i * 3 + 2];
      acc[k][3]++;
    }
    protos = acc.map((a, k) => (a[3] ? [a[0] / a[3], a[1] / a[3], a[2] / a[3]] : protos[k])) as [number, number, number][];
  }
  // Feature: how much closer a pixel is to the cytoplasm colour than to the background.
  const f = new Float32Array(w * h);
  for (let i = 0; i < w * h; i++) {
    const r = rgb[i * 3], g = rgb[i * 3 + 1], b = rgb[i * 3 + 2];
    const dc = Math.sqrt((r - cyto[0]) ** 2 + (g - cyto[1]) ** 2 + (b - cyto[2]) ** 2);
    const db = Math.min(...protos.map((c) => Math.sqrt((r - c[0]) ** 2 + (g - c[1]) ** 2 + (b - c[2]) ** 2)));
    f[i] = Math.max(0, Math.min(255, 128 + (db - dc)));
  }
  // The nucleus is inside by definition; give it the ring's typical value so it does not
  // pull the inside mean away from the cytoplasm the contour is looking for.
  const ringVals: number[] = [];
  for (let i = 0; i < ring.length; i++) if (ring[i]) ringVals.push(f[i]);
  ringVals.sort((a, b) => a - b);
  const ringMedian = ringVals[Math.floor(ringVals.length / 2)] ?? 200;
  for (let i = 0; i < f.length; i++) if (nuclei[i]) f[i] = ringMedian;
  const init = dilate(nuclei, w, h, 2);
  // The snake may not run further than ~2.5 nucleus radii: stops leaks along red-cell chains.
  const limit = dilate(nuclei, w, h, Math.max(6, Math.round(rN * 2.2)));
  let cell = chanVese(f, init, w, h, p.cellIterations, p, limit);
  for (let i = 0; i < cell.length; i++) if (nuclei[i]) cell[i] = 1;
  cell = fillHoles(cell, w, h);
  // Keep only regions that hold a nucleus.
  const { ids } = components(cell, w, h);
  const withNucleus = new Set<number>();
  for (let i = 0; i < ids.length; i++) if (ids[i] && nuclei[i]) withNucleus.add(ids[i]);
  return Uint8Array.from(ids, (id) => (withNucleus.has(id) ? 1 : 0));
}

function upsample(m: Uint8Array | Int32Array, w: number, h: number, W: number, H: number): Int32Array {
  const out = new Int32Array(W * H);
  for (let y = 0; y < H; y++) {
    const sy = Math.min(h - 1, Math.floor((y * h) / H));
    for (let x = 0; x < W; x++) out[y * W + x] = m[sy * w + Math.min(w - 1, Math.floor((x * w) / W))];
  }
  return out;
}

/** Segment every WBC of an image: background, cytoplasm, nucleus, edge plus instances. */
export function activeContour(image: RgbImage, params: Partial<ActiveContourParams> = {}): LabelMap & { instances: Uint16Array } {
  const p = { ...DEFAULT_AC, ...params };
  const { work } = toWorking(image, p.workingSize);
  const { w, h } = work;
  const found = findNuclei(work, p);
  const groups = groupNuclei(found, w, h);
  const nuclei = Uint8Array.from(groups, (g) => (g ? 1 : 0));
  const cells = findCells(work, nuclei, p);
  // Split touching cells between nucleus groups: each cell pixel joins the nearest group.
  const inst = new Int32Array(w * h);
  const seeds: number[] = [];
  for (let i = 0; i < groups.length; i++) if (groups[i] && cells[i]) {
    inst[i] = groups[i];
    seeds.push(i);
  }
  for (let head = 0; head < seeds.length; head++) {
    const i = seeds[head];
    const x = i % w;
    for (const j of [x > 0 ? i - 1 : -1, x < w - 1 ? i + 1 : -1, i - w, i + w]) {
      if (j < 0 || j >= inst.length || inst[j] || !cells[j]) continue;
      inst[j] = inst[i];
      seeds.push(j);
    }
  }
  const W = image.width, H = image.height;
  const instFull = W === w && H === h ? inst : upsample(inst, w, h, W, H);
  const nucFull = W === w && H === h ? nuclei : upsample(nuclei, w, h, W, H);
  const labels = new Uint8Array(W * H);
  const instances = new Uint16Array(W * H);
  for (let i = 0; i < labels.length; i++) {
    if (!instFull[i]) continue;
    instances[i] = instFull[i];
    labels[i] = nucFull[i] ? LABEL.nucleus : LABEL.cytoplasm;
  }
  markEdges(labels, instances, W, H);
  return { width: W, height: H, labels, instances };
}

/**
 * The editor's "snap": the cell under a click (optionally inside a rough box) as the
 * active contour sees it; other cells are dropped. Empty when no cell is found there.
 */
export function snapCell(image: RgbImage, at: { x: number; y: number }, box?: { x: number; y: number; width: number; height: number }, params: Partial<ActiveContourParams> = {}): LabelMap & { instances: Uint16Array } {
  let src = image, ox = 0, oy = 0;
  if (box) {
    ox = Math.max(0, Math.floor(box.x));
    oy = Math.max(0, Math.floor(box.y));
    const bw = Math.min(image.width - ox, Math.ceil(box.width)), bh = Math.min(image.height - oy, Math.ceil(box.height));
    const data = new Uint8Array(bw * bh * 3);
    for (let y = 0; y < bh; y++) data.set(image.data.subarray(((oy + y) * image.width + ox) * 3, ((oy + y) * image.width + ox + bw) * 3), y * bw * 3);
    src = { width: bw, height: bh, data };
  }
  const seg = activeContour(src, params);
  const W = image.width, H = image.height;
  const labels = new Uint8Array(W * H);
  const instances = new Uint16Array(W * H);
  const cx = Math.round(at.x) - ox, cy = Math.round(at.y) - oy;
  let target = cx >= 0 && cy >= 0 && cx < src.width && cy < src.height ? seg.instances[cy * src.width + cx] : 0;
  if (!target) {
    // A click just outside the outline still means the nearest cell (within 6 px).
    let best = 36;
    for (let i = 0; i < seg.instances.length; i++) {
      if (!seg.instances[i]) continue;
      const d = ((i % src.width) - cx) ** 2 + (Math.floor(i / src.width) - cy) ** 2;
      if (d < best) {
        best = d;
        target = seg.instances[i];
      }
    }
  }
  if (!target) return { width: W, height: H, labels, instances };
  for (let y = 0; y < src.height; y++) {
    for (let x = 0; x < src.width; x++) {
      const i = y * src.width + x;
      if (seg.instances[i] !== target) continue;
      const j = (y + oy) * W + x + ox;
      labels[j] = seg.labels[i];
      instances[j] = 1;
    }
  }
  return { width: W, height: H, labels, instances };
}
