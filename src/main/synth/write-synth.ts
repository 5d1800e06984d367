import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { stringify } from 'csv-stringify/sync';
import type { Project } from '../project/project';
import { LABEL, SOURCE, type DifficultyClass, type ImportReport } from '../../shared/domain';
import { encodeRgbPng } from '../imaging/encode-image';
import { maskToImage } from '../imaging/mask-convention';
import { emptyReport, hashBytes, writePrepared, type PreparedImage } from '../transfer/import-folder';
import { generateSmear, type Smear } from './smear/generate-smear';
import { PALETTES, type Palette } from './smear/palettes';
import { flowSplitOf, simulateFlow, type FlowFilm, type FlowParams } from './flow/simulate-flow';

export interface SmearSetOptions {
  count: number;
  size: number;
  classes: DifficultyClass[];
  palette: Palette | 'both';
  seed: number;
}

/** The i-th smear of a set: classes and palettes in turn, each with its own seed. */
export function* smearSet(o: SmearSetOptions): Generator<{ name: string; smear: Smear }> {
  for (let i = 0; i < o.count; i++) {
    const difficulty = o.classes[i % o.classes.length];
    const palette = o.palette === 'both' ? PALETTES[Math.floor(i / o.classes.length) % 2] : o.palette;
    const seed = o.seed * 100_003 + i;
    yield { name: `smear-${String(i + 1).padStart(4, '0')}`, smear: generateSmear({ seed, size: o.size, difficulty, palette }) };
  }
}

const png = async (data: Uint8Array, w: number, h: number, channels: 1 | 3): Promise<Buffer> => sharp(data, { raw: { width: w, height: h, channels } }).png().toBuffer();

/**
 * images/NAME.png, masks/NAME.png (gray3: edges folded into their cell), labels/NAME.png
 * (edge-aware: 0/85/170/255 = background/cytoplasm/nucleus/edge) and images/classes.csv,
 * so `hemaseg import P OUT/images --masks OUT/masks` reads them back with their classes.
 */
export async function writeSmearFolder(outDir: string, o: SmearSetOptions, onProgress?: (done: number) => void): Promise<{ files: number }> {
  for (const sub of ['images', 'masks', 'labels']) mkdirSync(join(outDir, sub), { recursive: true });
  const rows: (string | number)[][] = [];
  let n = 0;
  for (const { name, smear } of smearSet(o)) {
    const { width: w, height: h } = smear.image;
    writeFileSync(join(outDir, 'images', `${name}.png`), await png(smear.image.data, w, h, 3));
    writeFileSync(join(outDir, 'masks', `${name}.png`), await png(maskToImage(smear.truth, 'gray3').data, w, h, 3));
    writeFileSync(join(outDir, 'labels', `${name}.png`), await png(smear.truth.labels.map((v) => v * 85), w, h, 1));
    rows.push([`${name}.png`, smear.difficulty, smear.meta.palette, smear.meta.seed, smear.meta.wbcs.map((c) => c.type).join(' ')]);
    onProgress?.(++n);
  }
  writeFileSync(join(outDir, 'images', 'classes.csv'), stringify(rows, { header: true, columns: ['file', 'difficulty', 'palette', 'seed', 'wbc_types'] }));
  return { files: n };
}

export async function importSmears(project: Project, o: SmearSetOptions, onProgress?: (done: number) => void): Promise<ImportReport> {
  const report = emptyReport();
  let batch: PreparedImage[] = [];
  let n = 0;
  for (const { name, smear } of smearSet(o)) {
    const bytes = await encodeRgbPng(smear.image);
    batch.push({
      file: `${name}.png`, name: `${name}.png`, bytes, hash: hashBytes(bytes), format: 'png', image: smear.image, mask: smear.truth,
      maskSource: SOURCE.synthetic, difficulty: smear.difficulty, tags: ['synthetic', smear.meta.palette, ...new Set(smear.meta.wbcs.map((c) => c.type))],
    });
    if (batch.length === 16) {
      await writePrepared(project, batch, 'hemaseg-synth', report);
      batch = [];
    }
    onProgress?.(++n);
  }
  await writePrepared(project, batch, 'hemaseg-synth', report);
  report.scanned = n;
  return report;
}

const grey8 = (f: Float32Array): Uint8Array => Uint8Array.from(f, (v) => Math.round(v * 255));

/** film/frame_NNNN.png (rendered, 8-bit grey), truth/frame_NNNN.png (0/255), film.json (parameters and split). */
export async function writeFlowFolder(outDir: string, params: Partial<FlowParams> & { seed: number }, onProgress?: (done: number) => void): Promise<FlowFilm> {
  const film = simulateFlow(params);
  const tmp = `${outDir}.partial`;
  rmSync(tmp, { recursive: true, force: true });
  for (const sub of ['film', 'truth']) mkdirSync(join(tmp, sub), { recursive: true });
  const S = film.width;
  for (let f = 0; f < film.frames.length; f++) {
    const name = `frame_${String(f).padStart(4, '0')}.png`;
    writeFileSync(join(tmp, 'film', name), await png(grey8(film.frames[f]), S, S, 1));
    writeFileSync(join(tmp, 'truth', name), await png(film.truth[f].map((v) => v * 255), S, S, 1));
    onProgress?.(f + 1);
  }
  const split = film.frames.map((_, f) => flowSplitOf(f));
  writeFileSync(join(tmp, 'film.json'), JSON.stringify({ params: film.params, reentry: 'wrap (torus)', split }, null, 1));
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(join(outDir, '..'), { recursive: true });
  renameSync(tmp, outDir);
  return film;
}

/**
 * Import the rendered film as one image sequence with the ground-truth film as its masks
 * (cell pixels as label 'cytoplasm', the binary 'cell' class). Splits follow section D;
 * frames outside it go to train.
 */
export async function importFlow(project: Project, params: Partial<FlowParams> & { seed: number }, onProgress?: (done: number) => void): Promise<ImportReport & { sequenceId: string }> {
  const film = simulateFlow(params);
  const sequenceId = `rbc-flow-seed${params.seed}`;
  const report = emptyReport();
  const S = film.width;
  let batch: PreparedImage[] = [];
  for (let f = 0; f < film.frames.length; f++) {
    const g = grey8(film.frames[f]);
    const rgb = new Uint8Array(S * S * 3);
    for (let i = 0; i < S * S; i++) rgb[i * 3] = rgb[i * 3 + 1] = rgb[i * 3 + 2] = g[i];
    const bytes = new Uint8Array(await png(g, S, S, 1));
    const labels = film.truth[f].map((v) => (v ? LABEL.cytoplasm : LABEL.background));
    const name = `${sequenceId}-frame_${String(f).padStart(4, '0')}.png`;
    batch.push({
      file: name, name, bytes, hash: hashBytes(bytes), format: 'png', image: { width: S, height: S, data: rgb },
      mask: { width: S, height: S, labels }, maskSource: SOURCE.synthetic, split: flowSplitOf(f) ?? 'train',
      sequenceId, frameIndex: f, tags: ['synthetic', 'rbc-flow'],
    });
    if (batch.length === 32) {
      await writePrepared(project, batch, 'hemaseg-synth', report);
      batch = [];
    }
    onProgress?.(f + 1);
  }
  await writePrepared(project, batch, 'hemaseg-synth', report);
  report.scanned = film.frames.length;
  return { ...report, sequenceId };
}
