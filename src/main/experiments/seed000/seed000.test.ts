// A tiny seed-000 run (two networks, seconds of budget, a short 16 x 16 film): the films are
// imported under the seed's split, both networks train on clips and are scored at 0.7 with
// the report's parameter counts, models, streamed predictions and evaluations are stored, the
// table prints the report beside the numbers here, and bad network names are refused.
import { beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { Project } from '../../project/project';
import { tempDir } from '../../testing/fixtures';
import { parseNetworks, runSeed000, type Seed000Result } from './seed000';
import { formatSeed000Report } from './seed000-table';

let projectPath: string;
let r: Seed000Result;

beforeAll(async () => {
  projectPath = join(tempDir('hemaseg-seed000-'), 'film.hemaseg');
  r = await runSeed000({ projectPath, minutes: 0.04, networks: ['cnn-slim-t', 'lstm-cnn-slim-t'], seed: 4, frames: 21, size: 16, patience: 100 });
}, 180_000);

describe('experiment seed000', () => {
  it('imports two films under the seed split and trains, scores and streams both networks', () => {
    expect(r.film.sequences).toEqual(['rbc-flow-seed4', 'rbc-flow-seed5']);
    // Frames 0..20 of each film: train 0, 10, 20; test 5, 15; no validation frame (400..490).
    expect(r.clips).toEqual({ train: 6, val: 0, test: 4 });
    expect(r.networks.map((n) => n.variant)).toEqual(['cnn-slim-t', 'lstm-cnn-slim-t']);
    for (const n of r.networks) {
      expect(n.error).toBeNull();
      expect(n.params).toBe(n.report.params);
      expect(n.test?.frames).toBe(4);
      for (const v of [n.test!.accuracy, n.test!.recall, n.test!.precision, n.test!.cost]) expect(Number.isFinite(v)).toBe(true);
      expect(n.steps).toBeGreaterThan(0);
      expect(n.stream?.frames).toBe(4);
      expect(n.stream?.evaluationId).not.toBeNull();
    }
    expect(r.targets).toEqual({ cnnEnTRecall: null, d2: null });
  });

  it('stores the models and the streamed test predictions in the project', () => {
    const p = Project.open(projectPath);
    try {
      const counts = p.counts();
      expect(counts).toMatchObject({ sequences: 2, frames: 42 });
      for (const n of r.networks) {
        expect(p.models.resolve(n.ref!).family).toBe('lstm-cnn');
        const test = p.images.list({ split: ['test'] });
        expect(test).toHaveLength(4);
        for (const img of test) expect(p.masks.current(img.id, 'prediction', n.ref!)).not.toBeNull();
      }
      // Unused frames are never targets and get no prediction.
      const unused = p.images.list().filter((i) => i.unused);
      expect(unused.length).toBe(42 - 10);
      expect(unused.every((i) => r.networks.every((n) => p.masks.current(i.id, 'prediction', n.ref!) === null))).toBe(true);
    } finally {
      p.close();
    }
  });

  it("prints the report's numbers beside the measured ones; refuses unknown networks", () => {
    const text = formatSeed000Report(r);
    expect(text).toContain('.9834/.8976/.9829');
    expect(text).toContain('101057/101057');
    expect(text).toContain('1057/1057');
    expect(() => parseNetworks('cnn-slim-t,unet')).toThrow(/unknown network 'unet'/);
  });
});
