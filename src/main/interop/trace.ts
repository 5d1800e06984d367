// Polygons from pixel regions and back, exactly. A region's outline follows pixel edges
// (vertices on integer pixel corners; pixel (x, y) covers [x, x+1] x [y, y+1]), and a polygon
// is rasterised by the pixel-centre rule (a pixel is inside when its centre is, even-odd over
// the rings). Centres never lie on such an outline, so trace -> rasterise gives back the same
// pixels for any region, holes and diagonal touches included.

/** A closed ring as [x, y] vertices; the first vertex is not repeated. */
export type Ring = [number, number][];

/** An exterior ring and its holes (GeoJSON Polygon order). */
export interface Polygon {
  exterior: Ring;
  holes: Ring[];
}

// Directions as bits of a per-vertex mask: +x, +y, -x, -y.
const DX = [1, 0, -1, 0];
const DY = [0, 1, 0, -1];

/**
 * Signed area (shoelace) in the coordinates as given: exteriors traced here are positive,
 * holes negative, i.e. counter-clockwise exteriors in the sense of RFC 7946 when x and y are
 * read as ordinary axes.
 */
export function signedArea(ring: Ring): number {
  let a = 0;
  for (let i = 0; i < ring.length; i++) {
    const [x1, y1] = ring[i];
    const [x2, y2] = ring[(i + 1) % ring.length];
    a += x1 * y2 - x2 * y1;
  }
  return a / 2;
}

/**
 * Outline of the pixels where `mask[i] !== 0` (row-major, w x h) as polygons: one per
 * 4-connected component, each with its holes. Edges are directed so the region lies on the
 * side a +90° turn points to; where two region pixels touch only at a corner the walk turns
 * toward the pixel it is following, so diagonal neighbours stay separate polygons that share
 * a vertex (4-connected regions, 8-connected holes). Collinear vertices are merged.
 */
export function tracePolygons(mask: Uint8Array, w: number, h: number): Polygon[] {
  let x0 = w, y0 = h, x1 = -1, y1 = -1;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      if (!mask[y * w + x]) continue;
      if (x < x0) x0 = x;
      if (x > x1) x1 = x;
      if (y < y0) y0 = y;
      if (y > y1) y1 = y;
    }
  }
  if (x1 < 0) return [];
  const inside = (x: number, y: number): boolean => x >= 0 && y >= 0 && x < w && y < h && mask[y * w + x] !== 0;
  // Vertices of the bounding box (+1), local coordinates.
  const vw = x1 - x0 + 2, vh = y1 - y0 + 2;
  const out = new Uint8Array(vw * vh);
  const vid = (x: number, y: number): number => (y - y0) * vw + (x - x0);
  for (let y = y0; y <= y1; y++) {
    for (let x = x0; x <= x1; x++) {
      if (!inside(x, y)) continue;
      if (!inside(x, y - 1)) out[vid(x, y)] |= 1; // top side: (x,y) -> (x+1,y)
      if (!inside(x + 1, y)) out[vid(x + 1, y)] |= 2; // right side: (x+1,y) -> (x+1,y+1)
      if (!inside(x, y + 1)) out[vid(x + 1, y + 1)] |= 4; // bottom side: (x+1,y+1) -> (x,y+1)
      if (!inside(x - 1, y)) out[vid(x, y + 1)] |= 8; // left side: (x,y+1) -> (x,y)
    }
  }
  const used = new Uint8Array(vw * vh);
  const rings: { ring: Ring; area: number; probe: [number, number] }[] = [];
  for (let v = 0; v < out.length; v++) {
    while (out[v] & ~used[v]) {
      const free = out[v] & ~used[v];
      const startDir = free & 1 ? 0 : free & 2 ? 1 : free & 4 ? 2 : 3;
      let vx = (v % vw) + x0, vy = Math.floor(v / vw) + y0, dir = startDir;
      const ring: Ring = [];
      // The region pixel on the region side of the first edge: a point inside this ring's area.
      const probe: [number, number] = [vx + (DX[dir] - DY[dir]) / 2, vy + (DY[dir] + DX[dir]) / 2];
      let prevDir = -1;
      for (;;) {
        used[vid(vx, vy)] |= 1 << dir;
        if (dir !== prevDir) ring.push([vx, vy]);
        prevDir = dir;
        vx += DX[dir];
        vy += DY[dir];
        const o = out[vid(vx, vy)];
        const turn = (dir + 1) % 4; // toward the region side
        const next = o & (1 << turn) ? turn : o & (1 << dir) ? dir : o & (1 << ((dir + 3) % 4)) ? (dir + 3) % 4 : -1;
        if (next < 0) throw new Error('internal: open outline');
        if (vx === (v % vw) + x0 && vy === Math.floor(v / vw) + y0 && next === startDir) {
          // Closed. Drop the start vertex when the ring runs straight through it.
          if (prevDir === startDir && ring.length > 1) ring.shift();
          break;
        }
        dir = next;
      }
      rings.push({ ring, area: signedArea(ring), probe });
    }
  }
  const exteriors = rings.filter((r) => r.area > 0).sort((a, b) => a.area - b.area);
  const polygons = new Map(exteriors.map((e) => [e, { exterior: e.ring, holes: [] as Ring[] }]));
  for (const hole of rings.filter((r) => r.area < 0)) {
    // A hole belongs to the smallest exterior around its region-side pixel.
    const owner = exteriors.find((e) => pointInRing(hole.probe[0], hole.probe[1], e.ring)) ?? exteriors[exteriors.length - 1];
    polygons.get(owner)!.holes.push(hole.ring);
  }
  // Stable order: top-left first.
  return [...polygons.values()].sort((a, b) => a.exterior[0][1] - b.exterior[0][1] || a.exterior[0][0] - b.exterior[0][0]);
}

/** Even-odd point-in-ring test. */
export function pointInRing(px: number, py: number, ring: Ring): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i];
    const [xj, yj] = ring[j];
    if (yi > py !== yj > py && px < ((xj - xi) * (py - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/**
 * Set `value` in `target` (row-major, w x h) at every pixel whose centre lies inside the rings
 * (even-odd over all of them: an exterior with its holes). Returns the pixels set.
 */
export function fillRings(rings: Ring[], target: Uint8Array, w: number, h: number, value = 1): number {
  let minY = Infinity, maxY = -Infinity;
  for (const r of rings) for (const [, y] of r) {
    if (y < minY) minY = y;
    if (y > maxY) maxY = y;
  }
  if (!Number.isFinite(minY)) return 0;
  const yStart = Math.max(0, Math.ceil(minY - 0.5)), yEnd = Math.min(h - 1, Math.floor(maxY - 0.5));
  let n = 0;
  const xs: number[] = [];
  for (let y = yStart; y <= yEnd; y++) {
    const yc = y + 0.5;
    xs.length = 0;
    for (const r of rings) {
      for (let i = 0, j = r.length - 1; i < r.length; j = i++) {
        const [xa, ya] = r[j];
        const [xb, yb] = r[i];
        // Half-open in y, so a vertex on the scan line counts once.
        if (ya <= yc !== yb <= yc) xs.push(xa + ((yc - ya) * (xb - xa)) / (yb - ya));
      }
    }
    xs.sort((a, b) => a - b);
    for (let k = 0; k + 1 < xs.length; k += 2) {
      const from = Math.max(0, Math.ceil(xs[k] - 0.5));
      const to = Math.min(w - 1, Math.ceil(xs[k + 1] - 0.5) - 1);
      for (let x = from; x <= to; x++) {
        target[y * w + x] = value;
        n++;
      }
    }
  }
  return n;
}

/** Rasterise polygons (their union) into a fresh 0/1 mask. */
export function rasterisePolygons(polygons: Polygon[], w: number, h: number): Uint8Array {
  const m = new Uint8Array(w * h);
  for (const p of polygons) fillRings([p.exterior, ...p.holes], m, w, h, 1);
  return m;
}
