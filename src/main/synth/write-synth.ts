import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { stringify } from 'csv-stringify/sync';
import type { Project } from '../project/project';
import type { NewSequence } from '../project/sequences-repo';
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

/**
 * A rendered frame as a 16-bit grey PNG: the cells' noise (sd 0.001) is a quarter of one
 * 8-bit step and would round away; 16 bits keep it (step 1.5e-5). The project stores the
 * file's bytes as they are, and decodeIntensity() reads them back at 16 bits.
 */
export async function flowFramePng(frame: Float32Array, size: number): Promise<Uint8Array> {
  const u16 = Uint16Array.from(frame, (v) => Math.round(Math.min(1, Math.max(0, v)) * 65535));
  return new Uint8Array(await sharp(u16, { raw: { width: size, height: size, channels: 1 } }).toColourspace('grey16').png().toBuffer());
}

export interface FlowOptions {
  /** Films to make, seeds `seed`, `seed + 1`, ... (default 2: film 1 and film 2). */
  films?: number;
}

/** The seed of film k (1-based) and its sequence's name. */
export function flowFilm(seed: number, k: number): { seed: number; name: string } {
  const s = seed + k - 1;
  return { seed: s, name: `rbc-flow-seed${s}` };
}

/**
 * filmK/frames/frame_NNNN.png (rendered, 16-bit grey), filmK/truth/frame_NNNN.png (0/255) and
 * filmK/film.json (parameters, seed and the seed-000 split per frame) for each film.
 */
export async function writeFlowFolder(outDir: string, params: Partial<FlowParams> & { seed: number }, onProgress?: (done: number) => void, o: FlowOptions = {}): Promise<FlowFilm[]> {
  const tmp = `${outDir}.partial`;
  rmSync(tmp, { recursive: true, force: true });
  const films: FlowFilm[] = [];
  let done = 0;
  for (let k = 1; k <= (o.films ?? 2); k++) {
    const { seed, name: sequence } = flowFilm(params.seed, k);
    const film = simulateFlow({ ...params, seed });
    const dir = join(tmp, `film${k}`);
    for (const sub of ['frames', 'truth']) mkdirSync(join(dir, sub), { recursive: true });
    const S = film.width;
    for (let f = 0; f < film.frames.length; f++) {
      const name = `frame_${String(f).padStart(4, '0')}.png`;
      writeFileSync(join(dir, 'frames', name), await flowFramePng(film.frames[f], S));
      writeFileSync(join(dir, 'truth', name), await png(film.truth[f].map((v) => v * 255), S, S, 1));
      onProgress?.(++done);
    }
    const split = film.frames.map((_, f) => flowSplitOf(f));
    writeFileSync(join(dir, 'film.json'), JSON.stringify({ sequence, params: film.params, reentry: 'wrap (torus)', protocol: 'seed000', split }, null, 1));
    films.push(film);
  }
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(join(outDir, '..'), { recursive: true });
  renameSync(tmp, outDir);
  return films;
}

/**
 * Import each film as one sequence under seed 000's protocol: train 0,10..390, val 400..490,
 * test 5..495, every other frame 'unused' (in the project as context for the frames after it,
 * never trained on). Ground truth (cells as 'cytoplasm', the binary 'cell' class) is stored
 * for the 100 frames in the split only: the report labels few frames.
 */
export async function importFlow(
  project: Project,
  params: Partial<FlowParams> & { seed: number },
  onProgress?: (done: number) => void,
  o: FlowOptions = {},
): Promise<ImportReport & { sequences: string[] }> {
  const report = emptyReport();
  const sequences: string[] = [];
  let done = 0;
  for (let k = 1; k <= (o.films ?? 2); k++) {
    const { seed, name: sequenceName } = flowFilm(params.seed, k);
    const film = simulateFlow({ ...params, seed });
    const S = film.width;
    const sequence: NewSequence = { name: sequenceName, width: S, height: S, source: 'synthetic', protocol: 'seed000' };
    let batch: PreparedImage[] = [];
    for (let f = 0; f < film.frames.length; f++) {
      const g = grey8(film.frames[f]);
      const rgb = new Uint8Array(S * S * 3);
      for (let i = 0; i < S * S; i++) rgb[i * 3] = rgb[i * 3 + 1] = rgb[i * 3 + 2] = g[i];
      const bytes = await flowFramePng(film.frames[f], S);
      const labelled = flowSplitOf(f) !== 'unused';
      const labels = film.truth[f].map((v) => (v ? LABEL.cytoplasm : LABEL.background));
      const name = `${sequenceName}-frame_${String(f).padStart(4, '0')}.png`;
      batch.push({
        file: name, name, bytes, hash: hashBytes(bytes), format: 'png', image: { width: S, height: S, data: rgb },
        mask: labelled ? { width: S, height: S, labels } : null, maskSource: SOURCE.synthetic,
        frame: { sequence, index: f }, tags: ['synthetic', 'rbc-flow'],
      });
      if (batch.length === 32) {
        await writePrepared(project, batch, 'hemaseg-synth', report);
        batch = [];
      }
      onProgress?.(++done);
    }
    await writePrepared(project, batch, 'hemaseg-synth', report);
    report.scanned += film.frames.length;
    sequences.push(sequenceName);
  }
  return { ...report, sequences };
}
