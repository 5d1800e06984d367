// Per-sequence evaluation and reports (issue 13.5): the evaluation's bySequence tables, the
// per-sequence table `hemaseg evaluate` prints and writes, and the CNR report's sequence groups.
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Project } from '../project/project';
import { importSequenceFolder } from '../transfer/import-sequence';
import { importFolder } from '../transfer/import-folder';
import { runEvaluation } from './run-evaluation';
import { writeEvaluationFiles } from './write-evaluation';
import { formatSummary, sequenceTable } from '../metrics/tables';
import { bySequence } from '../../shared/core/summary';
import type { ImageRow } from '../../shared/core/metric-types';
import { buildReportInput } from '../reporting/build-report-input';
import { buildReportModel } from '../reports/model';
import { summaryGroups } from '../reports/reportText';
import { renderCsv } from '../reports/csvReport';
import { makeCell, tempDir, writePng } from '../testing/fixtures';

/** A folder of `n` numbered 32x32 frames of one cell, with a gray3 mask per frame beside it. */
async function film(dir: string, n: number, seed: number): Promise<void> {
  mkdirSync(dir, { recursive: true });
  for (let k = 0; k < n; k++) {
    const c = makeCell(seed + k, 32, 32);
    await writePng(join(dir, `t${String(k).padStart(3, '0')}.png`), c.rgb, 32, 32, 3);
    await writePng(join(dir, `t${String(k).padStart(3, '0')}_mask.png`), c.gray3, 32, 32, 1);
  }
}

describe('bySequence summary', () => {
  const cls = (cell: number) => ({ cell, cytoplasm: null, nucleus: null, edge: null });
  const row = (id: number, iou: number, sequence?: string | null): ImageRow => ({
    imageId: id, name: `i${id}`, difficulty: null, truthMaskId: 1, predMaskId: 2, sequence,
    metrics: { accuracy: 1, iou: cls(iou), iou_b: cls(iou), dice: cls(iou), precision: cls(1), recall: cls(1), seg: null },
  });

  it('groups frames by sequence name in name order and leaves loose images (and old rows) out', () => {
    const t = bySequence([row(1, 1, 'b'), row(2, 0.5, 'a'), row(3, 0.7, 'a'), row(4, 0.1, null), row(5, 0.2)]);
    expect(Object.keys(t)).toEqual(['a', 'b']);
    expect(t.a['iou.cell']).toMatchObject({ n: 2, mean: 0.6 });
    expect(t.b['iou.cell'].n).toBe(1);
    expect(bySequence([row(1, 1)])).toEqual({});
  });
});

describe('per-sequence evaluation and CNR report', () => {
  it('fills bySequence, prints and writes the per-sequence table, and groups the report per sequence', async () => {
    const root = tempDir();
    await film(join(root, 'good'), 3, 1);
    await film(join(root, 'bad'), 2, 50);
    mkdirSync(join(root, 'loose'));
    const c = makeCell(99, 32, 32);
    await writePng(join(root, 'loose', 'single.png'), c.rgb, 32, 32, 3);
    await writePng(join(root, 'loose', 'single_mask.png'), c.gray3, 32, 32, 1);
    const p = Project.open(join(root, 'p.hemaseg'), { create: true });
    try {
      await importSequenceFolder(p, join(root, 'good'), { name: 'film good' }, { maskConvention: 'gray3' });
      await importSequenceFolder(p, join(root, 'bad'), { name: 'film bad' }, { maskConvention: 'gray3' });
      await importFolder(p, join(root, 'loose'), { maskConvention: 'gray3' });
      expect(p.sequences.count()).toBe(2);
      // A "model" perfect on film good and on the loose image, empty on film bad.
      const bad = p.sequences.byName('film bad')!.id;
      for (const img of p.images.list()) {
        const gt = p.masks.load(p.masks.current(img.id, 'ground-truth')!.id)!;
        const labels = img.sequenceId === bad ? new Uint8Array(gt.labels.length) : gt.labels;
        p.masks.append({ imageId: img.id, kind: 'prediction', source: 'toy@1', author: 't', mask: { ...gt, labels, instances: undefined } });
      }
      const run = runEvaluation(p, { pred: 'toy@1', truth: 'ground-truth', split: 'all', borderPx: null });
      expect(run.result.images).toBe(6);
      const bs = run.result.bySequence!;
      expect(Object.keys(bs)).toEqual(['film bad', 'film good']);
      expect(bs['film good']['iou.cell']).toMatchObject({ n: 3, mean: 1 });
      expect(bs['film bad']['iou.cell']).toMatchObject({ n: 2, mean: 0 });
      const frames = run.result.perImage.filter((r) => r.sequence === 'film good').map((r) => r.frameIndex);
      expect(frames.sort()).toEqual([0, 1, 2]);
      // Stored and read back with the evaluation.
      expect(Object.keys(p.evaluations.get(run.id!)!.result.bySequence ?? {})).toEqual(['film bad', 'film good']);

      const text = formatSummary(run.result);
      expect(text).toContain('per sequence:');
      expect(text).toMatch(/film good\s+3\s+100\.0% ±0\.0/);
      expect(text).toMatch(/film bad\s+2\s+0\.0% ±0\.0/);
      expect(sequenceTable({ ...run.result, bySequence: {} })).toBe('');
      const out = tempDir();
      await writeEvaluationFiles(run, out);
      const csv = readFileSync(join(out, 'by-sequence.csv'), 'utf8').trim().split('\n');
      expect(csv[0]).toMatch(/^sequence,frames,iou\.cell,iou\.cell_se/);
      expect(csv.slice(1).map((l) => l.split(',').slice(0, 3).join(','))).toEqual(['film bad,2,0.0000', 'film good,3,1.0000']);

      const { input } = await buildReportInput(p, { source: 'ground-truth', images: 'all', correctedOnly: false }, null);
      const model = buildReportModel(input);
      expect(Object.keys(model.summary.bySequence)).toEqual(['film bad', 'film good']);
      const groups = summaryGroups(model);
      const section = groups.findIndex((g) => g.kind === 'section' && g.label === 'By sequence');
      expect(section).toBeGreaterThan(0);
      expect(groups.slice(section + 1).map((g) => (g.kind === 'sequence' ? g.key : g.kind))).toEqual(['film bad', 'film good']);
      const rows = renderCsv(model).trim().split('\n');
      const header = rows[0].split(',');
      const seqCol = header.indexOf('sequence');
      expect(seqCol).toBeGreaterThan(0);
      expect(new Set(rows.slice(1).map((r) => r.split(',')[seqCol]))).toEqual(new Set(['film good', 'film bad', '']));
    } finally {
      p.close();
    }
  });
});
