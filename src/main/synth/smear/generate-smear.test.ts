import { describe, expect, it } from 'vitest';
import { generateSmear, type Smear } from './generate-smear';
import { LABEL, type DifficultyClass } from '../../../shared/domain';
import type { Palette } from './palettes';

const SEEDS = [1, 2, 3, 4, 5];
const PALETTES: Palette[] = ['yellow', 'purple'];

function each(cls: DifficultyClass, fn: (s: Smear) => void): void {
  for (const palette of PALETTES) for (const seed of SEEDS) fn(generateSmear({ seed, size: palette === 'yellow' ? 120 : 128, difficulty: cls, palette }));
}

function instanceIds(s: Smear): Set<number> {
  return new Set(Array.from(s.truth.instances).filter((v) => v > 0));
}

function touchesBorder(s: Smear, id?: number): boolean {
  const { width: w, height: h, instances } = s.truth;
  for (let x = 0; x < w; x++) for (const y of [0, h - 1]) if (instances[y * w + x] && (id === undefined || instances[y * w + x] === id)) return true;
  for (let y = 0; y < h; y++) for (const x of [0, w - 1]) if (instances[y * w + x] && (id === undefined || instances[y * w + x] === id)) return true;
  return false;
}

/** Pairs of 4-neighbours in different cells. */
function contacts(s: Smear): [number, number][] {
  const { width: w, height: h, instances } = s.truth;
  const out: [number, number][] = [];
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      for (const j of [x + 1 < w ? i + 1 : -1, y + 1 < h ? i + w : -1]) {
        if (j >= 0 && instances[i] && instances[j] && instances[i] !== instances[j]) out.push([i, j]);
      }
    }
  }
  return out;
}

describe('smear generator', () => {
  it('is deterministic: same seed and options give the same bytes', () => {
    const a = generateSmear({ seed: 42, size: 128, difficulty: 8, palette: 'purple' });
    const b = generateSmear({ seed: 42, size: 128, difficulty: 8, palette: 'purple' });
    const c = generateSmear({ seed: 43, size: 128, difficulty: 8, palette: 'purple' });
    expect(Buffer.from(a.image.data).equals(Buffer.from(b.image.data))).toBe(true);
    expect(Buffer.from(a.truth.labels).equals(Buffer.from(b.truth.labels))).toBe(true);
    expect(Buffer.from(a.image.data).equals(Buffer.from(c.image.data))).toBe(false);
  });

  it('makes any size, with label and instance maps of that size', () => {
    for (const [width, height] of [[120, 120], [480, 480], [200, 96]]) {
      const s = generateSmear({ seed: 1, width, height, difficulty: 1, palette: 'yellow' });
      expect(s.image.data.length).toBe(width * height * 3);
      expect(s.truth.labels.length).toBe(width * height);
      expect(s.truth.instances.length).toBe(width * height);
    }
    expect(() => generateSmear({ seed: 1, size: 8, difficulty: 1, palette: 'yellow' })).toThrow(/32-4096/);
  });

  it('separates every pair of touching cells with edge pixels on both sides', () => {
    for (let cls = 1; cls <= 8; cls++) {
      each(cls as DifficultyClass, (s) => {
        const unseparated = contacts(s).filter(([i, j]) => s.truth.labels[i] !== LABEL.edge || s.truth.labels[j] !== LABEL.edge);
        expect(unseparated).toEqual([]);
      });
    }
  });

  it('keeps the nucleus inside its cell and labels only cell pixels', () => {
    for (const cls of [1, 2, 3, 4, 5, 8] as DifficultyClass[]) {
      each(cls, (s) => {
        const { width: w, height: h, labels, instances } = s.truth;
        let nucleus = 0, outside = 0, unlabelled = 0;
        for (let i = 0; i < labels.length; i++) {
          if ((labels[i] !== LABEL.background) !== (instances[i] !== 0)) unlabelled++;
          if (labels[i] !== LABEL.nucleus) continue;
          nucleus++;
          const x = i % w, y = Math.floor(i / w);
          for (const [dx, dy] of [[1, 0], [-1, 0], [0, 1], [0, -1]]) {
            const xx = x + dx, yy = y + dy;
            if (xx >= 0 && yy >= 0 && xx < w && yy < h && instances[yy * w + xx] !== instances[i]) outside++;
          }
        }
        expect(nucleus).toBeGreaterThan(0);
        expect(outside).toBe(0);
        expect(unlabelled).toBe(0);
      });
    }
  });

  it('class 1: one cell fully inside; class 2: several separated cells fully inside', () => {
    each(1, (s) => {
      expect(instanceIds(s).size).toBe(1);
      expect(touchesBorder(s)).toBe(false);
    });
    each(2, (s) => {
      expect(instanceIds(s).size).toBeGreaterThanOrEqual(2);
      expect(touchesBorder(s)).toBe(false);
      expect(contacts(s)).toHaveLength(0);
    });
  });

  it('class 3 cells are cut by the image border', () => {
    each(3, (s) => {
      expect(instanceIds(s).size).toBe(1);
      expect(touchesBorder(s)).toBe(true);
    });
  });

  it('class 5 has platelets beside the cell; class 7 has platelets and no WBC', () => {
    each(5, (s) => expect(s.meta.platelets).toBeGreaterThan(0));
    each(7, (s) => {
      expect(s.meta.platelets).toBeGreaterThan(0);
      expect(instanceIds(s).size).toBe(0);
      expect(s.truth.labels.every((v) => v === LABEL.background)).toBe(true);
    });
  });

  it('class 6 smudge cells have a nucleus and no cytoplasm', () => {
    each(6, (s) => {
      expect(s.truth.labels.includes(LABEL.cytoplasm)).toBe(false);
      expect(s.truth.labels.includes(LABEL.nucleus)).toBe(true);
    });
  });

  it('class 8 cells touch another cell', () => {
    each(8, (s) => {
      expect(instanceIds(s).size).toBeGreaterThanOrEqual(2);
      expect(contacts(s).length).toBeGreaterThan(0);
    });
  });

  it('class 4 uses the difficult variants', () => {
    const variants = new Set<string>();
    each(4, (s) => s.meta.wbcs.forEach((c) => c.variants.forEach((v) => variants.add(v))));
    expect(variants).toEqual(new Set(['pale', 'vacuoles', 'jagged', 'rbc-coloured']));
  });
});
