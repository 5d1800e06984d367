// The moving-cells generator: touching cells exist, ids are stable across frames, edges sit
// between touching cells, the cells move, the same seed gives the same sequence, and the
// written folder imports as a sequence with its masks.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LABEL } from '../../../shared/domain';
import { cellInstances } from '../../../shared/core/cells';
import { generateMovingCells, touchingPairs } from './generate-moving-cells';
import { writeMovingCellsFolder } from './write-moving-cells';
import { Project } from '../../project/project';
import { importSequenceFolder } from '../../transfer/import-sequence';

describe('moving-cells generator', () => {
  const seq = generateMovingCells({ size: 32, frames: 6, seed: 3 });

  it('has touching cells whose shared boundary is edge on both sides, and SEG-cells equal the instances', () => {
    let touching = 0;
    for (let f = 0; f < 6; f++) {
      const ids = seq.instances[f];
      const labels = seq.labels[f];
      const pairs = touchingPairs(ids, 32, 32);
      touching += pairs.length;
      // Every pixel of a cell next to another cell is edge.
      for (let i = 0; i < ids.length; i++) {
        const x = i % 32;
        const nb = [x > 0 ? i - 1 : -1, x < 31 ? i + 1 : -1, i - 32, i + 32].filter((j) => j >= 0 && j < ids.length);
        if (ids[i] && nb.some((j) => ids[j] && ids[j] !== ids[i])) expect(labels[i]).toBe(LABEL.edge);
        expect(labels[i] === LABEL.background).toBe(ids[i] === 0);
      }
      // The cells SEG counts from the labels alone (no instance map) are the generator's cells.
      const counted = cellInstances({ width: 32, height: 32, labels }).count;
      expect(counted).toBe(new Set([...ids].filter((v) => v)).size);
    }
    expect(touching).toBeGreaterThan(0);
  });

  it('keeps instance ids across frames while the cells move', () => {
    const centroid = (f: number, id: number): [number, number] => {
      let sx = 0, sy = 0, n = 0;
      seq.instances[f].forEach((v, i) => {
        if (v === id) {
          sx += i % 32;
          sy += Math.floor(i / 32);
          n++;
        }
      });
      return [sx / n, sy / n];
    };
    const present = (f: number): Set<number> => new Set([...seq.instances[f]].filter((v) => v));
    const first = present(0);
    expect(first.size).toBe(seq.cells);
    let moved = 0;
    for (let f = 1; f < 6; f++) {
      expect(present(f)).toEqual(first);
      for (const id of first) {
        const [ax, ay] = centroid(f - 1, id);
        const [bx, by] = centroid(f, id);
        const d = Math.hypot(bx - ax, by - ay);
        expect(d).toBeLessThan(4);
        moved += d;
      }
    }
    expect(moved / (5 * first.size)).toBeGreaterThan(0.2);
    expect(generateMovingCells({ size: 32, frames: 6, seed: 3 }).frames[5]).toEqual(seq.frames[5]);
    expect(generateMovingCells({ size: 32, frames: 6, seed: 4 }).frames[0]).not.toEqual(seq.frames[0]);
  });

  it('writes folders that import as a sequence with a mask per frame', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hemaseg-moving-'));
    try {
      const r = await writeMovingCellsFolder(join(dir, 'out'), { sequences: 2, frames: 6, size: 32, seed: 1 });
      expect(r).toEqual({ sequences: ['seq-001', 'seq-002'], frames: 12 });
      expect(readdirSync(join(dir, 'out', 'seq-002', 'masks')).length).toBe(6);
      const p = Project.open(join(dir, 'p.hemaseg'), { create: true });
      try {
        const rep = await importSequenceFolder(p, join(dir, 'out', 'seq-001', 'frames'), { name: 'seq-001' }, { masksDir: join(dir, 'out', 'seq-001', 'masks'), maskConvention: 'index' });
        expect(rep.skipped).toEqual([]);
        expect(rep.imported).toBe(6);
        expect(rep.masksImported).toBe(6);
      } finally {
        p.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
