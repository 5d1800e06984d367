// Pieces within one cell and outline length on pixel grids: nucleus lobes and the parts whose
// outline is traced. Cells themselves come from shared/core/cells (the one definition).

/** 8-neighbour offsets in clockwise screen order (y grows downwards): E SE S SW W NW N NE. */
const DX = [1, 1, 0, -1, -1, -1, 0, 1] as const;
const DY = [0, 1, 1, 1, 0, -1, -1, -1] as const;

export interface Components {
  /** Component id per pixel, 1..count; 0 = not in the set. Ids follow raster order. */
  ids: Int32Array;
  count: number;
  /** sizes[id] = pixel count (sizes[0] unused). */
  sizes: number[];
  /** firsts[id] = first pixel of the component in raster order (firsts[0] unused). */
  firsts: number[];
}

export interface ComponentOptions {
  blocksDiagonal?: (i: number) => boolean;
  partition?: Int32Array;
}

/**
 * 8-connected components of the pixels where `inSet` is true.
 * `blocksDiagonal(i)` marks separator pixels (the edge class): a diagonal step is refused when
 * both pixels it squeezes between are separators, so a 1-px edge line drawn with diagonal steps
 * still splits two touching cells. Without separators this is plain 8-connectivity.
 * With `partition`, neighbours join only when their partition values are equal (e.g. the
 * nucleus lobes of one cell never merge with the nucleus of the cell next to it).
 */
export function labelComponents(
  width: number,
  height: number,
  inSet: (i: number) => boolean,
  opts: ComponentOptions = {},
): Components {
  const { blocksDiagonal, partition } = opts;
  const n = width * height;
  const ids = new Int32Array(n);
  const sizes: number[] = [0];
  const firsts: number[] = [-1];
  const stack = new Int32Array(n);
  let count = 0;
  for (let start = 0; start < n; start++) {
    if (ids[start] !== 0 || !inSet(start)) continue;
    count++;
    let size = 0;
    let top = 0;
    stack[top++] = start;
    ids[start] = count;
    while (top > 0) {
      const p = stack[--top];
      size++;
      const x = p % width;
      const y = (p - x) / width;
      for (let d = 0; d < 8; d++) {
        const nx = x + DX[d];
        const ny = y + DY[d];
        if (nx < 0 || ny < 0 || nx >= width || ny >= height) continue;
        const q = ny * width + nx;
        if (ids[q] !== 0 || !inSet(q)) continue;
        if (partition && partition[q] !== partition[p]) continue;
        if (blocksDiagonal && d % 2 === 1 && blocksDiagonal(y * width + nx) && blocksDiagonal(ny * width + x)) continue;
        ids[q] = count;
        stack[top++] = q;
      }
    }
    sizes.push(size);
    firsts.push(start);
  }
  return { ids, count, sizes, firsts };
}

/**
 * Length of the outer outline of the 8-connected object containing `start`, which must be the
 * object's first pixel in raster order. Moore-neighbour tracing gives the chain code; the length
 * is the Vossepoel-Smeulders estimate 0.980*even + 1.406*odd - 0.091*corners, which is unbiased
 * for straight edges at any angle (plain pixel-edge counting overestimates a circle by 4/pi).
 * That chain runs through the centres of the boundary pixels, half a pixel inside the region's
 * true outline; offsetting a closed convex curve outwards by 0.5 adds pi, so pi is added (a disc
 * then has circularity ~1 at any radius). An isolated pixel gets pi. Holes are ignored.
 */
export function outerPerimeter(width: number, height: number, inObject: (i: number) => boolean, start: number): number {
  const inside = (x: number, y: number): boolean =>
    x >= 0 && y >= 0 && x < width && y < height && inObject(y * width + x);
  const sx = start % width;
  const sy = (start - sx) / width;
  // Backtrack neighbour starts west of the first raster pixel (never in the object).
  let px = sx;
  let py = sy;
  let back = 4; // direction from p to the backtrack pixel
  const codes: number[] = [];
  let firstMove = -1;
  // A boundary of N pixels is traced in at most 4N moves (each pixel entered at most 4 times).
  const limit = 4 * width * height + 8;
  for (let step = 0; step < limit; step++) {
    let moved = -1;
    for (let k = 1; k <= 8; k++) {
      const d = (back + k) % 8;
      if (inside(px + DX[d], py + DY[d])) {
        moved = d;
        break;
      }
    }
    if (moved < 0) return Math.PI; // isolated pixel
    if (px === sx && py === sy && moved === firstMove) break; // Jacob's stopping criterion
    if (firstMove < 0) firstMove = moved;
    codes.push(moved);
    // The neighbour checked just before the move is the new backtrack pixel; express it
    // relative to the new position.
    const prev = (moved + 7) % 8;
    const bx = px + DX[prev];
    const by = py + DY[prev];
    px += DX[moved];
    py += DY[moved];
    back = directionOf(bx - px, by - py);
  }
  let even = 0;
  let odd = 0;
  let corners = 0;
  for (let i = 0; i < codes.length; i++) {
    if (codes[i] % 2 === 0) even++;
    else odd++;
    if (codes[i] !== codes[(i + 1) % codes.length]) corners++;
  }
  return 0.98 * even + 1.406 * odd - 0.091 * corners + Math.PI;
}

function directionOf(dx: number, dy: number): number {
  for (let d = 0; d < 8; d++) if (DX[d] === dx && DY[d] === dy) return d;
  throw new Error(`not a neighbour offset: ${dx},${dy}`);
}

/**
 * Chessboard distance from every pixel to the nearest seed pixel, and which seed owns it,
 * explored only up to `maxDistance`. Unreached pixels get distance -1 and owner 0.
 */
export function nearestOwner(
  width: number,
  height: number,
  owner0: Int32Array,
  maxDistance: number,
): { owner: Int32Array; distance: Int32Array } {
  const n = width * height;
  const owner = Int32Array.from(owner0);
  const distance = new Int32Array(n).fill(-1);
  let frontier: number[] = [];
  for (let i = 0; i < n; i++) {
    if (owner[i] !== 0) {
      distance[i] = 0;
      frontier.push(i);
    }
  }
  for (let dist = 1; dist <= maxDistance && frontier.length > 0; dist++) {
    const next: number[] = [];
    for (const p of frontier) {
      const x = p % width;
      const y = (p - x) / width;
      for (let d = 0; d < 8; d++) {
        const nx = x + DX[d];
        const ny = y + DY[d];
        if (nx < 0 || ny < 0 || nx >= width || ny >= height) continue;
        const q = ny * width + nx;
        if (distance[q] !== -1) continue;
        distance[q] = dist;
        owner[q] = owner[p];
        next.push(q);
      }
    }
    frontier = next;
  }
  return { owner, distance };
}
