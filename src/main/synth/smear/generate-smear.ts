import { LABEL, type DifficultyClass, type LabelMap, type RgbImage } from '../../../shared/domain';
import { withContourEdges } from '../../../shared/core/cells';
import { gaussianBlur, Rng, valueNoise } from '../random';
import { jitter, mix, PALETTE_SPECS, type Palette, type Rgb } from './palettes';
import { inNucleus, insideness, makeNucleus, maxRadius, radialShape, type NucleusKind, type NucleusShape, type RadialShape } from './shapes';

export interface SmearOptions {
  seed: number;
  /** Square side; `width`/`height` override it. Default 128. */
  size?: number;
  width?: number;
  height?: number;
  difficulty: DifficultyClass;
  palette: Palette;
}

export type WbcType = 'lymphocyte' | 'monocyte' | 'neutrophil' | 'band' | 'eosinophil' | 'smudge';

export interface WbcMeta {
  id: number;
  type: WbcType;
  nucleus: NucleusKind | 'smeared';
  lobes: number;
  cx: number;
  cy: number;
  radius: number;
  variants: string[];
}

export interface Smear {
  image: RgbImage;
  truth: LabelMap & { instances: Uint16Array };
  difficulty: DifficultyClass;
  meta: { seed: number; palette: Palette; wbcs: WbcMeta[]; platelets: number; rbcs: number };
}

interface Wbc {
  shape: RadialShape;
  nucleus: NucleusShape | null;
  smudge: RadialShape | null;
  meta: WbcMeta;
  cytoplasm: Rgb;
  nucleusColour: Rgb;
  granular: boolean;
  vacuoles: { x: number; y: number; r: number }[];
}

const NUCLEUS_OF: Record<Exclude<WbcType, 'smudge'>, NucleusKind> = {
  lymphocyte: 'round',
  monocyte: 'kidney',
  neutrophil: 'segmented',
  band: 'band',
  eosinophil: 'segmented',
};

/**
 * A stained peripheral-blood smear with exact ground truth: label map (background,
 * cytoplasm, nucleus, edge), instance map (one id per WBC) and its difficulty class.
 * Deterministic: the same options give the same bytes.
 */
export function generateSmear(opts: SmearOptions): Smear {
  const w = opts.width ?? opts.size ?? 128;
  const h = opts.height ?? opts.size ?? 128;
  if (!Number.isInteger(w) || !Number.isInteger(h) || w < 32 || h < 32 || w > 4096 || h > 4096) throw new Error(`image size must be 32-4096 px, got ${w}x${h}`);
  const cls = opts.difficulty;
  if (!Number.isInteger(cls) || cls < 1 || cls > 8) throw new Error(`difficulty class must be 1-8, got ${String(cls)}`);
  const rng = new Rng(opts.seed * 8 + cls + (opts.palette === 'purple' ? 1_000_003 : 0));
  const spec = PALETTE_SPECS[opts.palette];
  const side = Math.min(w, h);
  const scale = side / 128;

  // 1. Background: a per-image stain cast, a slight illumination gradient and mottling.
  const bg = mix(spec.background[0], spec.background[1], rng.next());
  const img = new Float32Array(w * h * 3);
  const gAngle = rng.uniform(0, 2 * Math.PI);
  const gAmount = rng.uniform(0.02, 0.07);
  const mottle = valueNoise(w, h, 24 * scale, rng);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const g = 1 - gAmount * (((x - w / 2) * Math.cos(gAngle) + (y - h / 2) * Math.sin(gAngle)) / side + 0.5) + (mottle[y * w + x] - 0.5) * 0.03;
      const i = (y * w + x) * 3;
      img[i] = bg[0] * g;
      img[i + 1] = bg[1] * g;
      img[i + 2] = bg[2] * g;
    }
  }

  // 2. White cells for the class (placed first so red cells can be kept out of them).
  const wbcs = placeWbcs(rng, cls, w, h, spec.wbcRadius * side, opts.palette);

  // 3. Red cells: discs with a darker rim and central pallor, overlapping each other.
  const rbcCount = Math.round(spec.rbcCount * ((w * h) / (128 * 128)) * rng.uniform(0.7, 1.3));
  let rbcs = 0;
  for (let k = 0; k < rbcCount * 4 && rbcs < rbcCount; k++) {
    const R = spec.rbcRadius * side * rng.uniform(0.8, 1.15);
    const x = rng.uniform(-R * 0.5, w + R * 0.5), y = rng.uniform(-R * 0.5, h + R * 0.5);
    // Red cells may touch a WBC (the baseline's classic leak) but not lie on it.
    if (wbcs.some((c) => Math.hypot(x - c.shape.cx, y - c.shape.cy) < maxRadius(c.shape) + R * 0.55)) continue;
    drawRbc(img, w, h, x, y, R, rng.uniform(0.85, 1.1), rng.uniform(0, Math.PI), jitter(spec.rbc, rng, 4), spec.rbcRing, rng.uniform(...spec.rbcOpacity));
    rbcs++;
  }

  // 4. Ground truth and colour of the white cells.
  const instances = new Uint16Array(w * h);
  const labels = new Uint8Array(w * h);
  const chromatin = valueNoise(w, h, 3.5 * scale, rng);
  const grain = valueNoise(w, h, 1.2 * scale, rng);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const px = x + 0.5, py = y + 0.5;
      // Touching cells: a pixel belongs to the cell it is most inside (normalised), so
      // neighbours meet along a line instead of overlapping.
      let best = -1, bestScore = 0;
      for (let k = 0; k < wbcs.length; k++) {
        const c = wbcs[k];
        const shape = c.smudge ?? c.shape;
        const s = insideness(shape, px, py) / shape.r0;
        if (s > 0 && s > bestScore) {
          best = k;
          bestScore = s;
        }
      }
      if (best < 0) continue;
      const c = wbcs[best];
      const i = y * w + x;
      instances[i] = c.meta.id;
      const isNucleus = c.smudge !== null || (c.nucleus !== null && insideness(c.shape, px, py) > 1.2 * scale && inNucleus(c.nucleus, px, py));
      labels[i] = isNucleus ? LABEL.nucleus : LABEL.cytoplasm;
      let col: Rgb;
      if (c.smudge) {
        const t = chromatin[i];
        col = mix(c.nucleusColour, c.cytoplasm, 0.35 + 0.35 * t + 0.2 * (1 - Math.min(1, bestScore * 4)));
      } else if (isNucleus) {
        const t = chromatin[i];
        const n = c.nucleusColour;
        col = mix([n[0] - 25, n[1] - 20, n[2] - 20], [n[0] + 70, n[1] + 55, n[2] + 55], Math.max(0, t - 0.2) * 1.1);
      } else {
        col = c.cytoplasm;
        if (c.granular && grain[i] > 0.62) col = mix(col, c.meta.type === 'eosinophil' ? [214, 110, 80] : [160, 100, 150], (grain[i] - 0.62) * 1.6);
        for (const v of c.vacuoles) if (Math.hypot(px - v.x, py - v.y) < v.r) col = mix(col, bg, 0.75);
      }
      // Soft rim: the outermost pixel blends with what lies under it, as in a real image.
      const rim = Math.min(1, bestScore * (c.smudge ?? c.shape).r0 / 1.2);
      const j = i * 3;
      img[j] = img[j] * (1 - rim) + col[0] * rim;
      img[j + 1] = img[j + 1] * (1 - rim) + col[1] * rim;
      img[j + 2] = img[j + 2] * (1 - rim) + col[2] * rim;
    }
  }
  markEdges(labels, instances, w, h);

  // 5. Platelets: small purple fragments, beside the cell (class 5) or alone (class 7).
  const platelets = drawPlatelets(img, w, h, rng, cls, wbcs, spec.platelet, scale, instances);

  // 6. Optics and sensor: blur, then noise, then 8-bit.
  gaussianBlur(img, w, h, 3, 0.55 * Math.sqrt(scale));
  const data = new Uint8Array(w * h * 3);
  for (let i = 0; i < img.length; i++) data[i] = Math.max(0, Math.min(255, Math.round(img[i] + rng.normal(0, 2.2))));

  return {
    image: { width: w, height: h, data },
    truth: { width: w, height: h, labels, instances },
    difficulty: cls,
    meta: { seed: opts.seed, palette: opts.palette, wbcs: wbcs.map((c) => c.meta), platelets, rbcs },
  };
}

function makeWbc(rng: Rng, id: number, cx: number, cy: number, r0: number, palette: Palette, opts: { smudge?: boolean; difficult?: boolean }): Wbc {
  const spec = PALETTE_SPECS[palette];
  const variants: string[] = [];
  if (opts.smudge) {
    const smudge = radialShape(rng, cx, cy, r0 * rng.uniform(0.55, 0.8), { wobble: 0.35, jagged: 0.05 });
    return {
      shape: smudge, nucleus: null, smudge, cytoplasm: jitter(spec.cytoplasm[0], rng, 6), nucleusColour: jitter(spec.nucleus, rng, 12), granular: false, vacuoles: [],
      meta: { id, type: 'smudge', nucleus: 'smeared', lobes: 1, cx, cy, radius: smudge.r0, variants: ['smudge'] },
    };
  }
  const type = rng.pick<Exclude<WbcType, 'smudge'>>(['lymphocyte', 'monocyte', 'neutrophil', 'neutrophil', 'band', 'eosinophil']);
  const radius = type === 'lymphocyte' ? r0 * 0.85 : type === 'monocyte' ? r0 * 1.08 : r0;
  let jagged = 0;
  let cyto = jitter(spec.cytoplasm[['lymphocyte', 'neutrophil', 'eosinophil', 'monocyte', 'band'].indexOf(type) % spec.cytoplasm.length], rng, 16);
  const vacuoles: Wbc['vacuoles'] = [];
  if (opts.difficult) {
    const pool = ['pale', 'vacuoles', 'jagged', 'rbc-coloured'];
    const first = rng.pick(pool);
    variants.push(first);
    if (rng.chance(0.35)) variants.push(rng.pick(pool.filter((v) => v !== first)));
    if (variants.includes('pale')) cyto = mix(cyto, spec.background[0], 0.72);
    if (variants.includes('rbc-coloured')) cyto = jitter(spec.rbc, rng, 3);
    if (variants.includes('jagged')) jagged = 0.045;
  }
  const shape = radialShape(rng, cx, cy, radius, { wobble: 0.06, jagged });
  if (variants.includes('vacuoles')) {
    const n = rng.int(2, 5);
    for (let k = 0; k < n; k++) {
      const a = rng.uniform(0, 2 * Math.PI);
      const vr = radius * rng.uniform(0.07, 0.13);
      const d = radius * rng.uniform(0.97, 1.0) - vr * 1.6;
      vacuoles.push({ x: cx + Math.cos(a) * d, y: cy + Math.sin(a) * d, r: vr });
    }
  }
  const nucleus = makeNucleus(rng, NUCLEUS_OF[type], cx, cy, radius);
  return {
    shape, nucleus, smudge: null, cytoplasm: cyto, nucleusColour: jitter(spec.nucleus, rng, 14), granular: type === 'neutrophil' || type === 'eosinophil' || type === 'band', vacuoles,
    meta: { id, type, nucleus: nucleus.kind, lobes: nucleus.lobes, cx, cy, radius, variants },
  };
}

function placeWbcs(rng: Rng, cls: DifficultyClass, w: number, h: number, r0: number, palette: Palette): Wbc[] {
  const centre = (spread: number): [number, number] => [w / 2 + rng.normal(0, spread), h / 2 + rng.normal(0, spread)];
  const size = r0 * rng.uniform(0.88, 1.1);
  const margin = 3;
  const fitsInside = (c: Wbc): boolean => {
    const m = maxRadius(c.smudge ?? c.shape) + margin;
    return c.shape.cx - m >= 0 && c.shape.cy - m >= 0 && c.shape.cx + m <= w && c.shape.cy + m <= h;
  };
  const single = (opts: { smudge?: boolean; difficult?: boolean } = {}): Wbc[] => {
    for (let t = 0; t < 50; t++) {
      const [x, y] = centre(Math.min(w, h) * 0.04);
      const c = makeWbc(rng, 1, x, y, opts.smudge ? size * 1.1 : size, palette, opts);
      if (fitsInside(c)) return [c];
    }
    return [makeWbc(rng, 1, w / 2, h / 2, size * 0.85, palette, opts)];
  };
  switch (cls) {
    case 1:
    case 5:
      return single();
    case 4:
      return single({ difficult: true });
    case 6:
      return single({ smudge: true });
    case 7:
      return [];
    case 3: {
      // Centre near a border so that a fifth to a half of the cell lies outside.
      const side = rng.int(0, 3);
      const cut = rng.uniform(0.2, 0.55) * size;
      const along = rng.uniform(0.3, 0.7);
      const pos: [number, number] = side === 0 ? [cut, h * along] : side === 1 ? [w - cut, h * along] : side === 2 ? [w * along, cut] : [w * along, h - cut];
      return [makeWbc(rng, 1, pos[0], pos[1], size, palette, {})];
    }
    case 2: {
      const n = rng.chance(0.7) ? 2 : 3;
      const rr = size * (n === 2 ? 0.72 : 0.6);
      for (let t = 0; t < 200; t++) {
        const cells: Wbc[] = [];
        for (let k = 0; k < n; k++) cells.push(makeWbc(rng, k + 1, rng.uniform(rr, w - rr), rng.uniform(rr, h - rr), rr, palette, {}));
        const apart = cells.every((a, i) => cells.every((b, j) => j <= i || Math.hypot(a.shape.cx - b.shape.cx, a.shape.cy - b.shape.cy) > maxRadius(a.shape) + maxRadius(b.shape) + 4));
        if (apart && cells.every(fitsInside)) return cells;
      }
      return [makeWbc(rng, 1, w * 0.3, h * 0.3, rr * 0.8, palette, {}), makeWbc(rng, 2, w * 0.7, h * 0.7, rr * 0.8, palette, {})];
    }
    case 8: {
      // Two (sometimes three) cells pressed together: their outlines overlap a little and
      // the ground truth splits them along the contact line.
      const rr = size * 0.78;
      const a = rng.uniform(0, Math.PI);
      const d = rr * 2 * rng.uniform(0.8, 0.9);
      const cx = w / 2, cy = h / 2;
      const cells = [
        makeWbc(rng, 1, cx - (Math.cos(a) * d) / 2, cy - (Math.sin(a) * d) / 2, rr, palette, {}),
        makeWbc(rng, 2, cx + (Math.cos(a) * d) / 2, cy + (Math.sin(a) * d) / 2, rr, palette, {}),
      ];
      if (rng.chance(0.25)) {
        const b = a + Math.PI / 2;
        cells.push(makeWbc(rng, 3, cx + Math.cos(b) * d * 0.85, cy + Math.sin(b) * d * 0.85, rr * 0.85, palette, {}));
      }
      return cells;
    }
  }
}

function drawRbc(img: Float32Array, w: number, h: number, cx: number, cy: number, R: number, ecc: number, angle: number, body: Rgb, ring: Rgb, opacity: number): void {
  const ca = Math.cos(angle), sa = Math.sin(angle);
  const x0 = Math.max(0, Math.floor(cx - R - 2)), x1 = Math.min(w - 1, Math.ceil(cx + R + 2));
  const y0 = Math.max(0, Math.floor(cy - R - 2)), y1 = Math.min(h - 1, Math.ceil(cy + R + 2));
  for (let y = y0; y <= y1; y++) {
    for (let x = x0; x <= x1; x++) {
      const dx = x + 0.5 - cx, dy = y + 0.5 - cy;
      const u = (dx * ca + dy * sa) / (R * ecc), v = (-dx * sa + dy * ca) / R;
      const d = Math.hypot(u, v);
      if (d > 1.05) continue;
      const cover = Math.min(1, Math.max(0, (1.05 - d) / 0.08));
      // Rim darker, centre paler (central pallor).
      const rimT = Math.exp(-((d - 0.9) ** 2) / 0.006);
      const pallor = Math.max(0, 0.45 - d) / 0.45;
      const col = mix(mix(body, ring, rimT), [255, 250, 235], pallor * 0.35);
      const a = cover * opacity;
      const i = (y * w + x) * 3;
      // Multiply-like blend so overlapping cells look denser.
      img[i] = img[i] * (1 - a) + ((img[i] * col[0]) / 255) * a;
      img[i + 1] = img[i + 1] * (1 - a) + ((img[i + 1] * col[1]) / 255) * a;
      img[i + 2] = img[i + 2] * (1 - a) + ((img[i + 2] * col[2]) / 255) * a;
    }
  }
}

function drawPlatelets(img: Float32Array, w: number, h: number, rng: Rng, cls: DifficultyClass, wbcs: Wbc[], colour: Rgb, scale: number, instances: Uint16Array): number {
  const blobs: { x: number; y: number; r: number }[] = [];
  const pr = (): number => rng.uniform(1.6, 2.8) * scale;
  if (cls === 5) {
    const c = wbcs[0];
    const n = rng.int(1, 4);
    for (let k = 0; k < n; k++) {
      const a = rng.uniform(0, 2 * Math.PI);
      const r = pr();
      const d = insideAlong(c.shape, a) + r * 0.8;
      blobs.push({ x: c.shape.cx + Math.cos(a) * d, y: c.shape.cy + Math.sin(a) * d, r });
    }
  } else if (cls === 7) {
    const clusters = rng.int(1, 3);
    for (let k = 0; k < clusters; k++) {
      const x = rng.uniform(0.2, 0.8) * w, y = rng.uniform(0.2, 0.8) * h;
      if (rng.chance(0.3)) {
        blobs.push({ x, y, r: pr() * 2.4 }); // a single large platelet
      } else {
        const n = rng.int(3, 10);
        for (let j = 0; j < n; j++) blobs.push({ x: x + rng.normal(0, 4 * scale), y: y + rng.normal(0, 4 * scale), r: pr() });
      }
    }
  }
  for (const b of blobs) {
    const shape = radialShape(rng, b.x, b.y, b.r, { wobble: 0.4 });
    const x0 = Math.max(0, Math.floor(b.x - b.r * 2)), x1 = Math.min(w - 1, Math.ceil(b.x + b.r * 2));
    const y0 = Math.max(0, Math.floor(b.y - b.r * 2)), y1 = Math.min(h - 1, Math.ceil(b.y + b.r * 2));
    for (let y = y0; y <= y1; y++) {
      for (let x = x0; x <= x1; x++) {
        if (instances[y * w + x]) continue; // platelets lie beside the cell, not on it
        const s = insideness(shape, x + 0.5, y + 0.5);
        if (s <= -0.5) continue;
        const a = Math.min(1, s + 0.5) * 0.85;
        const i = (y * w + x) * 3;
        const col = jitter(colour, rng, 10);
        for (let c = 0; c < 3; c++) img[i + c] = img[i + c] * (1 - a) + col[c] * a;
      }
    }
  }
  return blobs.length;
}

function insideAlong(shape: RadialShape, angle: number): number {
  let f = 1;
  for (const hm of shape.harmonics) f += hm.a * Math.cos(hm.k * angle + hm.phase);
  return shape.r0 * f;
}

/**
 * Edge = the 1-px inner contour of each cell (shared/core/cells: a cell pixel with a
 * 4-neighbour outside its instance; the image border is not a contour). Two touching cells
 * therefore always have edge pixels on both sides of the contact.
 */
export function markEdges(labels: Uint8Array, instances: Uint16Array, w: number, h: number): void {
  labels.set(withContourEdges(labels, instances, w, h));
}
