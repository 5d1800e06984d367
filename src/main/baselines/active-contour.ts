import { LABEL, type LabelMap, type RgbImage } from '../../shared/domain';
import { markEdges } from '../synth/smear/generate-smear';
import { components, dilate, erode, fillHoles, infSup, otsu, otsu3, supInf } from './morphology';

/**
 * Documented parameters of the active-contour baseline (README "Active-contour baseline").
 *
 * Pipeline (every step deterministic; images larger than `workingSize` are box-downscaled
 * and the result scaled back):
 * 1. Two colour transforms. Stain density D: optical density -log(I / I_white) summed over
 *    R, G, B after white balance (white = 90th percentile of each channel), scaled to 0-255;
 *    white balance makes yellow- and white-background smears alike. Nucleus feature F:
 *    0.7 (255 - G) + 0.6 ((R + B) / 2 - G), dark and purple.
 * 2. Stained pixels: D above the lower threshold of a three-class Otsu on D (background,
 *    pale stain, dark stain), at least `minStainDensity`.
 * 3. Coarse nuclei: F above a two-class Otsu of F over the stained pixels, at least
 *    `minNucleusDarkness`; small parts and tiny groups (platelets, debris) dropped; lobes
 *    closer than half a nucleus radius grouped into one cell.
 * 4. Cell: a morphological Chan-Vese contour on D, started from the stained region holding
 *    the nucleus (after an opening that cuts necks to touching red cells, plus a 2-px ring
 *    around the nucleus), the nucleus held fixed inside and left out of the region means,
 *    free to move `cellReach` px beyond the start; holes filled; regions without a nucleus
 *    dropped.
 * 5. Refined nucleus, against its own cell: start from the darker Otsu half of F inside the
 *    coarse nucleus, evolve a Chan-Vese contour on F local to the cell (so the outside mean
 *    is this cell's cytoplasm). This is what separates the nucleus from dark granular
 *    (eosinophil) cytoplasm, which passes the coarse threshold.
 * 6. Instances: cell pixels go to the nearest nucleus group (breadth-first), so touching
 *    cells split between their nuclei; edge = the 1-px contour of each instance.
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
  /**
   * Smallest nucleus (all its lobes) that makes a cell, as a fraction of the image area:
   * single platelets and debris are dark purple too but smaller. A WBC nucleus covers
   * about 9% of a wbc-dataset1 image; the small WBCs of generated multi-cell smears about
   * 0.5%; 0.12% is about 20 px at 128x128.
   */
  minNucleusArea: number;
  /** Floor of the nucleus threshold on F (0-255): an empty field yields no nucleus. */
  minNucleusDarkness: number;
  /** Floor of the stain threshold on D (0-255). */
  minStainDensity: number;
  /** Optical density (sum over R, G, B) mapped to 0-255 by this factor. */
  densityScale: number;
  /**
   * Red-cell damping of D: pixels whose share of red absorption (OD_R / OD) is below this
   * value count with proportionally less density. Haemoglobin and eosin absorb green and
   * blue, WBC cytoplasm absorbs red as well. 0 disables.
   */
  minRedShare: number;
  /** How far (px at working size) the cell contour may run beyond its stained start region. */
  cellReach: number;
  /**
   * Opening radius of the stained mask before the start region is chosen, as a fraction of
   * the nucleus radius: cuts the narrow necks through which touching red cells join.
   */
  neckCut: number;
  /**
   * Weight of the outside region term relative to the inside one (lambda2 / lambda1) for
   * the nucleus and the cell contours: above 1 the contour favours growing, below 1 shrinking.
   */
  nucleusLambdaOut: number;
  cellLambdaOut: number;
}

export const DEFAULT_AC: ActiveContourParams = {
  workingSize: 200,
  nucleusIterations: 25,
  cellIterations: 60,
  smoothing: 2,
  minNucleusFraction: 0.08,
  minNucleusArea: 0.0012,
  minNucleusDarkness: 115,
  minStainDensity: 25,
  densityScale: 120,
  minRedShare: 0,
  cellReach: 10,
  neckCut: 0.4,
  // Tuned on wbc-dataset1 (tune/eval-real.ts). The cell contour leans to growing: the
  // smear background is uniform and pale cytoplasm sits close to it in D. The nucleus
  // contour leans to shrinking: the pale halo between lobes belongs to the cytoplasm.
  nucleusLambdaOut: 0.7,
  cellLambdaOut: 4,
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

/**
 * Morphological Chan-Vese on a scalar feature: region competition plus curvature smoothing.
 * `limit`: the energy is local to these pixels and the contour cannot leave them.
 * `fixed`: pixels always inside and left out of the region means.
 */
function chanVese(f: Float32Array, init: Uint8Array, w: number, h: number, iterations: number, p: { smoothing: number; lambdaOut: number }, limit: Uint8Array, fixed?: Uint8Array): Uint8Array {
  // The contour cannot leave `limit`: evolve it in the bounding box of `limit` (plus a
  // 2-px margin of forced-outside pixels, so smoothing sees the same neighbours).
  let x0 = w, y0 = h, x1 = -1, y1 = -1;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      if (!limit[y * w + x] && !(fixed && fixed[y * w + x])) continue;
      if (x < x0) x0 = x;
      if (x > x1) x1 = x;
      if (y < y0) y0 = y;
      if (y > y1) y1 = y;
    }
  }
  if (x1 < 0) return new Uint8Array(w * h);
  x0 = Math.max(0, x0 - 2);
  y0 = Math.max(0, y0 - 2);
  x1 = Math.min(w - 1, x1 + 2);
  y1 = Math.min(h - 1, y1 + 2);
  const cw = x1 - x0 + 1, ch = y1 - y0 + 1;
  if (cw === w && ch === h) return evolve(f, init, w, h, iterations, p, limit, fixed);
  const crop = <T extends Uint8Array | Float32Array>(a: T, make: (n: number) => T): T => {
    const out = make(cw * ch);
    for (let y = 0; y < ch; y++) out.set(a.subarray((y0 + y) * w + x0, (y0 + y) * w + x1 + 1), y * cw);
    return out;
  };
  const u = evolve(crop(f, (n) => new Float32Array(n)), crop(init, (n) => new Uint8Array(n)), cw, ch, iterations, p, crop(limit, (n) => new Uint8Array(n)), fixed && crop(fixed, (n) => new Uint8Array(n)));
  const out = new Uint8Array(w * h);
  for (let y = 0; y < ch; y++) out.set(u.subarray(y * cw, (y + 1) * cw), (y0 + y) * w + x0);
  return out;
}

function evolve(f: Float32Array, init: Uint8Array, w: number, h: number, iterations: number, p: { smoothing: number; lambdaOut: number }, limit: Uint8Array, fixedOrNone?: Uint8Array): Uint8Array {
  const n = w * h;
  const fixed = fixedOrNone ?? new Uint8Array(n);
  const lambdaOut = p.lambdaOut;
  // free[i]: the contour may move here (inside the limit, not fixed)
  const free = new Uint8Array(n);
  for (let i = 0; i < n; i++) free[i] = limit[i] && !fixed[i] ? 1 : 0;
  let u: Uint8Array = new Uint8Array(n);
  for (let i = 0; i < n; i++) u[i] = fixed[i] ? 1 : free[i] ? init[i] : 0;
  const next = new Uint8Array(n);
  for (let it = 0; it < iterations; it++) {
    let s1 = 0, n1 = 0, s0 = 0, n0 = 0;
    for (let i = 0; i < n; i++) {
      if (!free[i]) continue;
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
    next.set(u);
    let changed = 0;
    for (let y = 0; y < h; y++) {
      const row = y * w;
      for (let x = 0; x < w; x++) {
        const i = row + x;
        if (!free[i]) continue;
        // Only the contour moves: pixels with a 4-neighbour on the other side.
        const v = u[i];
        if (!((x > 0 && u[i - 1] !== v) || (x < w - 1 && u[i + 1] !== v) || (y > 0 && u[i - w] !== v) || (y < h - 1 && u[i + w] !== v))) continue;
        const d1 = f[i] - c1, d0 = f[i] - c0;
        const aux = d1 * d1 - lambdaOut * d0 * d0;
        const nv = aux < 0 ? 1 : aux > 0 ? 0 : v;
        if (nv !== v) {
          next[i] = nv;
          changed++;
        }
      }
    }
    u.set(next);
    for (let s = 0; s < p.smoothing; s++) u = it % 2 ? infSup(supInf(u, w, h), w, h) : supInf(infSup(u, w, h), w, h);
    for (let i = 0; i < n; i++) u[i] = fixed[i] ? 1 : free[i] ? u[i] : 0;
    if (changed === 0) break;
  }
  return u;
}

/** F: dark and purple (nuclei score ~190, cytoplasm ~60-100, red cells and background < 40). */
function nucleusFeature(work: Work): Float32Array {
  const { w, h, rgb } = work;
  const f = new Float32Array(w * h);
  for (let i = 0; i < w * h; i++) {
    const r = rgb[i * 3], g = rgb[i * 3 + 1], b = rgb[i * 3 + 2];
    f[i] = Math.max(0, Math.min(255, 0.7 * (255 - g) + 0.6 * ((r + b) / 2 - g)));
  }
  return f;
}

/**
 * D: optical density after white balance, -log(I / I_white) summed over the channels, with
 * the white point at the 90th percentile of each channel (the smear background fills most
 * of a WBC image). Stained cells absorb; background and pale red-cell interiors barely do.
 * White balancing makes yellow- and white-background smears look alike.
 */
function densityFeature(work: Work, scale: number, minRedShare = 0): Float32Array {
  const { w, h, rgb } = work;
  const n = w * h;
  const white = [0, 1, 2].map((c) => {
    const hist = new Uint32Array(256);
    for (let i = 0; i < n; i++) hist[Math.max(0, Math.min(255, Math.round(rgb[i * 3 + c])))]++;
    let acc = 0, k = 0;
    for (; k < 255 && acc + hist[k] < n * 0.9; k++) acc += hist[k];
    return Math.max(1, k);
  });
  const f = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    let od = 0;
    for (let c = 0; c < 3; c++) od += Math.max(0, -Math.log(Math.max(1, rgb[i * 3 + c]) / white[c]));
    if (minRedShare > 0 && od > 0) {
      const share = Math.max(0, -Math.log(Math.max(1, rgb[i * 3]) / white[0])) / od;
      if (share < minRedShare) od *= share / minRedShare;
    }
    f[i] = Math.min(255, od * scale);
  }
  return f;
}

function keepSignificant(m: Uint8Array, w: number, h: number, minFraction: number): Uint8Array {
  const { ids, areas } = components(m, w, h);
  const largest = Math.max(0, ...areas);
  const minArea = Math.max(4, largest * minFraction);
  return Uint8Array.from(ids, (id) => (id && areas[id] >= minArea ? 1 : 0));
}

/** Stain threshold: the lower threshold of a three-class Otsu on D, at least the floor. */
function stainThreshold(d: Float32Array, p: ActiveContourParams): number {
  return Math.max(otsu3(d)[0], p.minStainDensity);
}

function backgroundMean(d: Float32Array, stained: Uint8Array): number {
  let s = 0, n = 0;
  for (let i = 0; i < d.length; i++) {
    if (stained[i]) continue;
    s += d[i];
    n++;
  }
  return n ? s / n : 0;
}

/** Coarse nuclei: F above a two-class Otsu of F over the stained pixels (and the floor). */
function coarseNuclei(f: Float32Array, stained: Uint8Array, w: number, h: number, p: ActiveContourParams): Uint8Array {
  const t = Math.max(otsu(f, stained), p.minNucleusDarkness);
  const init = erode(dilate(Uint8Array.from(f, (v) => (v > t ? 1 : 0)), w, h), w, h); // close chromatin gaps
  return keepSignificant(fillHoles(init, w, h), w, h, p.minNucleusFraction);
}

/**
 * Nuclei against their own cell: start from the darker Otsu half of F inside the coarse
 * nucleus and evolve a contour whose energy is local to the cell, so the outside mean is
 * this cell's cytoplasm. Dark granular cytoplasm (eosinophils) passes the coarse threshold
 * but loses here, and ordinary nuclei lose their pale halo.
 */
function refineNuclei(f: Float32Array, coarse: Uint8Array, cells: Uint8Array, w: number, h: number, p: ActiveContourParams): Uint8Array {
  const t = Math.max(otsu(f, coarse), p.minNucleusDarkness);
  let init: Uint8Array = Uint8Array.from(f, (v, i) => (coarse[i] && v > t ? 1 : 0));
  init = erode(dilate(init, w, h), w, h);
  if (!init.some((v) => v)) return coarse;
  const u = chanVese(f, init, w, h, p.nucleusIterations, { smoothing: p.smoothing, lambdaOut: p.nucleusLambdaOut }, cells);
  return keepSignificant(fillHoles(u, w, h), w, h, p.minNucleusFraction);
}

/**
 * Group nucleus parts that belong to one cell (the lobes of a segmented nucleus): parts
 * whose gap is under half a nucleus radius join; groups much smaller than the largest
 * (stray dark debris, platelets) are dropped.
 */
function groupNuclei(n: Uint8Array, w: number, h: number, minArea = 0): Int32Array {
  const out = new Int32Array(n.length);
  const partAreas = components(n, w, h).areas;
  if (partAreas.length < 2) return out;
  const rN = Math.sqrt(Math.max(...partAreas) / Math.PI);
  const joined = components(dilate(n, w, h, Math.max(1, Math.round(rN * 0.5))), w, h);
  const groupArea = new Float64Array(joined.areas.length);
  for (let i = 0; i < n.length; i++) if (n[i]) groupArea[joined.ids[i]]++;
  let largest = 0;
  for (const a of groupArea) largest = Math.max(largest, a);
  const label = new Int32Array(joined.areas.length);
  let next = 0;
  for (let i = 0; i < n.length; i++) {
    const g = joined.ids[i];
    if (!n[i] || groupArea[g] < largest * 0.25 || groupArea[g] < minArea) continue;
    if (!label[g]) label[g] = ++next;
    out[i] = label[g];
  }
  return out;
}

/** Keep the connected regions of `m` that overlap `seeds`. */
function withSeeds(m: Uint8Array, seeds: Uint8Array, w: number, h: number): Uint8Array {
  const { ids } = components(m, w, h);
  const keep = new Set<number>();
  for (let i = 0; i < ids.length; i++) if (ids[i] && seeds[i]) keep.add(ids[i]);
  return Uint8Array.from(ids, (id) => (keep.has(id) ? 1 : 0));
}

/**
 * The whole cell: a contour on D started from the stained regions that hold a nucleus. The
 * nucleus is fixed inside; the energy is local to a band of `cellReach` px around the start,
 * so red cells touching the WBC compete with the background they sit in, not with the WBC.
 */
function findCells(d: Float32Array, stainT: number, stained: Uint8Array, nuclei: Uint8Array, w: number, h: number, p: ActiveContourParams): Uint8Array {
  const area = nuclei.reduce((a, v) => a + v, 0);
  if (!area) return new Uint8Array(w * h);
  let body = stained.map((v, i) => v | nuclei[i]);
  const r = Math.round(p.neckCut * Math.sqrt(area / Math.PI));
  if (r > 0) {
    const opened = dilate(erode(body, w, h, r), w, h, r);
    body = opened.map((v, i) => v | nuclei[i]);
  }
  // With pale cytoplasm the stained region can be the nucleus alone, and a contour with no
  // free inside pixel cannot move: so a 2-px ring around the nucleus joins the start when
  // it is faintly stained on average (mean D above halfway from the background mean to the
  // stain threshold). Plain background does not: when the "nucleus" is a whole dark cell,
  // a ring of background would make the inside look like background.
  const ring = dilate(nuclei, w, h, 2);
  let ringSum = 0, ringN = 0;
  for (let i = 0; i < ring.length; i++) {
    if (!ring[i] || nuclei[i]) continue;
    ringSum += d[i];
    ringN++;
  }
  const faint = ringN > 0 && ringSum / ringN > (stainT + backgroundMean(d, stained)) / 2;
  const start = withSeeds(faint ? body.map((v, i) => v | ring[i]) : body, nuclei, w, h);
  const limit = dilate(start, w, h, p.cellReach);
  let cell = chanVese(d, start, w, h, p.cellIterations, { smoothing: p.smoothing, lambdaOut: p.cellLambdaOut }, limit, nuclei);
  cell = fillHoles(cell, w, h);
  return withSeeds(cell, nuclei, w, h);
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
  const f = nucleusFeature(work);
  const d = densityFeature(work, p.densityScale, p.minRedShare);
  const stainT = stainThreshold(d, p);
  const stained = Uint8Array.from(d, (v) => (v > stainT ? 1 : 0));
  const coarse = coarseNuclei(f, stained, w, h, p);
  const minArea = p.minNucleusArea * w * h;
  const first = Uint8Array.from(groupNuclei(coarse, w, h, minArea), (g) => (g ? 1 : 0));
  let cells = findCells(d, stainT, stained, first, w, h, p);
  let groups: Int32Array = new Int32Array(w * h);
  if (first.some((v) => v)) {
    groups = groupNuclei(refineNuclei(f, first, cells, w, h, p), w, h, minArea);
    // The cell holds its refined nucleus (the contour is confined to the cell anyway).
    cells = fillHoles(cells.map((v, i) => v | (groups[i] ? 1 : 0)), w, h);
  }
  const nuclei = Uint8Array.from(groups, (g) => (g ? 1 : 0));
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
