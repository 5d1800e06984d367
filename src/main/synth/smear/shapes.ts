import type { Rng } from '../random';

/** A closed blob: centre plus a radius that varies with the angle (low harmonics, optional jag). */
export interface RadialShape {
  cx: number;
  cy: number;
  r0: number;
  harmonics: { k: number; a: number; phase: number }[];
}

export function radialShape(rng: Rng, cx: number, cy: number, r0: number, opts: { wobble?: number; jagged?: number } = {}): RadialShape {
  const wobble = opts.wobble ?? 0.05;
  const harmonics = [2, 3, 4, 5].map((k) => ({ k, a: rng.uniform(0, wobble) / (k - 1), phase: rng.uniform(0, 2 * Math.PI) }));
  if (opts.jagged) {
    for (let j = 0; j < 3; j++) harmonics.push({ k: rng.int(11, 19), a: opts.jagged * rng.uniform(0.5, 1), phase: rng.uniform(0, 2 * Math.PI) });
  }
  return { cx, cy, r0, harmonics };
}

export function radiusAt(s: RadialShape, theta: number): number {
  let f = 1;
  for (const h of s.harmonics) f += h.a * Math.cos(h.k * theta + h.phase);
  return s.r0 * f;
}

/** Signed distance-like value: > 0 inside, in pixels (approximate near the outline). */
export function insideness(s: RadialShape, x: number, y: number): number {
  const dx = x - s.cx, dy = y - s.cy;
  return radiusAt(s, Math.atan2(dy, dx)) - Math.hypot(dx, dy);
}

export function maxRadius(s: RadialShape): number {
  return s.r0 * (1 + s.harmonics.reduce((a, h) => a + Math.abs(h.a), 0));
}

export type NucleusKind = 'round' | 'kidney' | 'band' | 'segmented';

/** A nucleus as a union of discs and capsules in image coordinates. */
export interface NucleusShape {
  kind: NucleusKind;
  lobes: number;
  discs: { x: number; y: number; r: number }[];
  capsules: { x0: number; y0: number; x1: number; y1: number; r: number }[];
  /** Kidney notch: a disc removed from the nucleus. */
  notch: { x: number; y: number; r: number } | null;
}

export function makeNucleus(rng: Rng, kind: NucleusKind, cx: number, cy: number, r0: number): NucleusShape {
  const discs: NucleusShape['discs'] = [];
  const capsules: NucleusShape['capsules'] = [];
  let notch: NucleusShape['notch'] = null;
  let lobes = 1;
  const a = rng.uniform(0, 2 * Math.PI);
  const off = rng.uniform(0, 0.18) * r0;
  const ox = cx + Math.cos(a) * off, oy = cy + Math.sin(a) * off;
  if (kind === 'round') {
    const r = r0 * rng.uniform(0.55, 0.74);
    discs.push({ x: ox, y: oy, r });
    discs.push({ x: ox + rng.normal(0, 0.08 * r), y: oy + rng.normal(0, 0.08 * r), r: r * rng.uniform(0.85, 0.97) });
  } else if (kind === 'kidney') {
    const r = r0 * rng.uniform(0.5, 0.62);
    discs.push({ x: ox, y: oy, r });
    discs.push({ x: ox + Math.cos(a + 1.2) * r * 0.3, y: oy + Math.sin(a + 1.2) * r * 0.3, r: r * 0.9 });
    notch = { x: ox + Math.cos(a) * r * 1.05, y: oy + Math.sin(a) * r * 1.05, r: r * rng.uniform(0.45, 0.6) };
  } else {
    // Band and segmented nuclei follow an arc around the cell centre.
    lobes = kind === 'band' ? 1 : rng.int(2, 5);
    const arcR = r0 * rng.uniform(0.38, 0.5);
    const span = kind === 'band' ? rng.uniform(2.2, 3.4) : rng.uniform(1.6, 3.6);
    const start = rng.uniform(0, 2 * Math.PI);
    const thick = r0 * (kind === 'band' ? rng.uniform(0.15, 0.2) : rng.uniform(0.2, 0.27));
    const pts: [number, number][] = [];
    const steps = kind === 'band' ? 10 : lobes;
    for (let i = 0; i < steps; i++) {
      const t = steps === 1 ? 0.5 : i / (steps - 1);
      const ang = start + span * t;
      const rr = arcR * (1 + rng.normal(0, 0.06));
      pts.push([cx + Math.cos(ang) * rr, cy + Math.sin(ang) * rr]);
    }
    if (kind === 'band') {
      for (let i = 0; i + 1 < pts.length; i++) capsules.push({ x0: pts[i][0], y0: pts[i][1], x1: pts[i + 1][0], y1: pts[i + 1][1], r: thick });
    } else {
      for (const [x, y] of pts) discs.push({ x, y, r: thick * rng.uniform(0.9, 1.15) });
      // Thin chromatin strands join the lobes.
      for (let i = 0; i + 1 < pts.length; i++) capsules.push({ x0: pts[i][0], y0: pts[i][1], x1: pts[i + 1][0], y1: pts[i + 1][1], r: Math.max(0.8, thick * 0.18) });
    }
  }
  return { kind, lobes, discs, capsules, notch };
}

export function inNucleus(n: NucleusShape, x: number, y: number): boolean {
  if (n.notch && Math.hypot(x - n.notch.x, y - n.notch.y) < n.notch.r) return false;
  for (const d of n.discs) if (Math.hypot(x - d.x, y - d.y) < d.r) return true;
  for (const c of n.capsules) {
    const vx = c.x1 - c.x0, vy = c.y1 - c.y0;
    const t = Math.max(0, Math.min(1, ((x - c.x0) * vx + (y - c.y0) * vy) / (vx * vx + vy * vy || 1)));
    if (Math.hypot(x - (c.x0 + t * vx), y - (c.y0 + t * vy)) < c.r) return true;
  }
  return false;
}
