// Helpers for the tests: hand-built label maps and images. Not used by production code.
import { LABEL, type LabelMap, type RgbImage } from '../../shared/domain';

export function blank(width: number, height: number): LabelMap {
  return { width, height, labels: new Uint8Array(width * height) };
}

export function rect(m: LabelMap, x0: number, y0: number, w: number, h: number, value: number): LabelMap {
  for (let y = y0; y < y0 + h; y++) for (let x = x0; x < x0 + w; x++) m.labels[y * m.width + x] = value;
  return m;
}

export function disc(m: LabelMap, cx: number, cy: number, r: number, value: number): LabelMap {
  for (let y = 0; y < m.height; y++) {
    for (let x = 0; x < m.width; x++) if ((x - cx) ** 2 + (y - cy) ** 2 <= r * r) m.labels[y * m.width + x] = value;
  }
  return m;
}

export function set(m: LabelMap, x: number, y: number, value: number): LabelMap {
  m.labels[y * m.width + x] = value;
  return m;
}

export function count(m: LabelMap, value: number): number {
  let n = 0;
  for (const v of m.labels) if (v === value) n++;
  return n;
}

/** A cell: cytoplasm disc with a nucleus disc in the middle. */
export function cell(m: LabelMap, cx: number, cy: number, r: number, rn: number): LabelMap {
  disc(m, cx, cy, r, LABEL.cytoplasm);
  return disc(m, cx, cy, rn, LABEL.nucleus);
}

/** A smooth synthetic stained-looking RGB image of the mask (pale background, violet nucleus). */
export function imageFor(m: LabelMap): RgbImage {
  const data = new Uint8Array(m.width * m.height * 3);
  const colours: Record<number, [number, number, number]> = {
    [LABEL.background]: [240, 226, 170],
    [LABEL.cytoplasm]: [200, 160, 190],
    [LABEL.nucleus]: [90, 40, 120],
    [LABEL.edge]: [150, 120, 150],
  };
  for (let i = 0; i < m.labels.length; i++) data.set(colours[m.labels[i]] ?? [0, 0, 0], i * 3);
  return { width: m.width, height: m.height, data };
}
