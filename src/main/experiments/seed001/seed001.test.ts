// A tiny seed001 run (seconds): both networks train, stream-segment the test sequence, are
// scored by SEG per sequence, and the project holds the sequences, models, predictions and
// evaluations; the report prints the paper's numbers beside.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Project } from '../../project/project';
import { runSeed001 } from './seed001';
import { formatSeed001Report } from './seed001-table';

const dir = mkdtempSync(join(tmpdir(), 'hemaseg-seed001-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('experiment seed001', () => {
  it('trains both losses, streams the test sequences, scores SEG per sequence and stores everything', async () => {
    const path = join(dir, 'p.hemaseg');
    const stages: string[] = [];
    const r = await runSeed001(
      { projectPath: path, minutes: 0.2, maxSteps: 2, sequences: 3, testSequences: 1, frames: 6, size: 32, seed: 2, config: { depth: 1, baseFilters: 4, lstmKernel: 3, inputSize: 32, unroll: 3 }, learningRate: 1e-3 },
      { onStage: (s) => stages.push(s) },
    );
    expect(stages.length).toBe(3);
    expect(r.data.testSequences).toEqual(['seq-003']);
    for (const n of r.networks) {
      expect(n.batches).toBe(2);
      expect(Number.isFinite(n.lastLoss)).toBe(true);
      expect(n.sequences).toHaveLength(1);
      expect(n.sequences[0].frames).toBe(6);
      expect(n.sequences[0].objects).toBeGreaterThan(6);
      expect(n.seg).not.toBeNull();
      expect(n.seg!).toBeGreaterThanOrEqual(0);
      expect(n.seg!).toBeLessThanOrEqual(1);
      expect(n.evaluationId).not.toBeNull();
    }
    expect(r.networks.map((n) => n.paperSeg)).toEqual([0.802, 0.677]);
    const text = formatSeed001Report(r);
    expect(text).toMatch(/\| seq-003 .*\|.*%.*\|.*%.*\|/);
    expect(text).toMatch(/the paper \| {2}80\.2% \| {2}67\.7% \|/);
    const p = Project.open(path);
    try {
      expect(p.sequences.list().map((s) => [s.name, s.split])).toEqual([['seed001-s2-seq-001', 'train'], ['seed001-s2-seq-002', 'train'], ['seed001-s2-seq-003', 'test']]);
      expect(p.models.list().map((m) => [m.ref, m.family])).toEqual([['seed001-2class@1', 'u-lstm'], ['seed001-3class@1', 'u-lstm']]);
      expect(p.masks.sources().filter((s) => s.kind === 'prediction').map((s) => [s.source, s.images])).toEqual([['seed001-2class@1', 6], ['seed001-3class@1', 6]]);
      expect(p.evaluations.list()).toHaveLength(2);
    } finally {
      p.close();
    }
  }, 120_000);
});
