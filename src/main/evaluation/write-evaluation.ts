import { mkdirSync, writeFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import sharp from 'sharp';
import type { EvaluationRun } from './run-evaluation';
import { difficultyTableCsv, histogramSvg, sequenceTableCsv } from '../metrics/tables';
import { differenceImage } from '../metrics/difference-image';

/** The files of `hemaseg evaluate --out`: table CSV, histogram SVG + PNG, difference images. */
export async function writeEvaluationFiles(run: EvaluationRun, outDir: string): Promise<string[]> {
  mkdirSync(join(outDir, 'difference'), { recursive: true });
  const written: string[] = [];
  const put = (name: string, data: string | Buffer): void => {
    writeFileSync(join(outDir, name), data);
    written.push(join(outDir, name));
  };
  put('by-difficulty.csv', difficultyTableCsv(run.result));
  const seq = sequenceTableCsv(run.result);
  if (seq) put('by-sequence.csv', seq);
  put('per-image.json', JSON.stringify(run.result.perImage, null, 1));
  const svg = histogramSvg(run.result.histogram);
  put('histogram.svg', svg);
  put('histogram.png', await sharp(Buffer.from(svg)).png().toBuffer());
  for (const p of run.pairs) {
    const stem = p.name.slice(0, p.name.length - extname(p.name).length);
    for (const mode of ['binary', 'multiclass', 'classes'] as const) {
      const d = differenceImage(p.truth, p.pred, mode);
      const png = await sharp(d.data, { raw: { width: d.width, height: d.height, channels: 3 } }).png().toBuffer();
      writeFileSync(join(outDir, 'difference', `${stem}.${mode}.png`), png);
    }
  }
  written.push(join(outDir, 'difference'));
  return written;
}
