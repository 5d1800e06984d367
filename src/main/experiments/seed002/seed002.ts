// `hemaseg experiment seed002`: U-Net, SegNet and DeconvNet on wbc-dataset1 (seeds.md B),
// trained in the ML worker under one time budget each, the test images segmented from the
// images alone, and the three compared on exactly one image set (runComparison, stored, so
// the result opens in Compare). Two preparations (./protocols.ts): the thesis' leaking one
// and a clean split. Bad input is refused before any project is written.
import { resolve } from 'node:path';
import type { Backend, Split } from '../../../shared/domain';
import type { Augmentation } from '../../../shared/ml';
import type { MeanSe } from '../../../shared/core/metric-types';
import { runComparison } from '../../evaluation/compare/run-comparison';
import { encodeRgbPng } from '../../imaging/encode-image';
import { resolveModelSpec } from '../../ml/families/registry';
import { emptyReport, hashBytes, importFolder, writePrepared, type PreparedImage } from '../../transfer/import-folder';
import { readSeedFolder, SeedInputError, type SeedItem } from '../seed-common/seed-folder';
import { applySplits, checkProjectImages, discardTemp, modelFacts, openSeedProject, segmentImages, trainNetwork, type ModelFacts, type NetworkPlan, type SeedHooks } from '../seed-common/seed-run';
import { SEED002_FAMILIES, SEED002_NETWORKS, type Seed002Family } from './networks';
import { copyImage, copyMask, planClean, planThesis, THESIS_SIZE, THESIS_TAG, type LeakReport, type Seed002Protocol } from './protocols';
import thesis from './thesis-numbers.json';

export const SEED002_DEFAULT_MINUTES = 10;
export const SEED002_DEFAULT_DATA = '../shared/data/wbc-dataset1';

export interface Seed002Options {
  folder: string;
  projectPath: string | null;
  /** Training budget per network. */
  minutes: number;
  protocol: Seed002Protocol;
  families: Seed002Family[];
  seed: number;
  /** Tests and tuning: other networks (tiny ones), another thesis image side. */
  networks?: Partial<Record<Seed002Family, NetworkPlan>>;
  thesisSize?: number;
}

export interface ThesisRow {
  diceCytoplasm: number;
  diceNucleus: number;
  iouCytoplasm: number;
  iouNucleus: number;
  accuracy: number;
  trainSeconds: number;
}

export interface Seed002Row {
  family: Seed002Family;
  model: string;
  arch: string;
  params: number | null;
  trainingSeconds: number | null;
  epochsRun: number | null;
  bestEpoch: number | null;
  stoppedBy: string;
  backend: Backend | null;
  diceCytoplasm: MeanSe;
  diceNucleus: MeanSe;
  iouCytoplasm: MeanSe;
  iouNucleus: MeanSe;
  accuracy: MeanSe;
  evaluationId: number | null;
  thesis: ThesisRow;
}

export interface Seed002Result {
  experiment: 'seed002';
  protocol: Seed002Protocol;
  project: string;
  temporaryProject: boolean;
  folder: string;
  images: {
    inFolder: number;
    withoutMasks: number;
    /** Thesis: images of exactly size x size (the thesis says 224 of 300 for wbc-dataset1). */
    exactSize: { size: number; count: number } | null;
    /** Images in the project per split (thesis: the copies). */
    train: number;
    val: number;
    test: number;
  };
  /** Thesis protocol only: how much of the test side leaks. */
  leak: LeakReport | null;
  minutes: number;
  comparisonId: number | null;
  evaluationImages: number;
  rows: Seed002Row[];
  thesisSource: string;
  thesisNote: string;
  seconds: number;
}

/** IoU of a Dice (the thesis' Jaccard column is not a real IoU). */
export const iouFromDice = (d: number): number => d / (2 - d);

function thesisRow(f: Seed002Family): ThesisRow {
  const t = thesis.networks[f];
  return { ...t, iouCytoplasm: iouFromDice(t.diceCytoplasm), iouNucleus: iouFromDice(t.diceNucleus) };
}

const NO_AUGMENT: Augmentation = { flips: false, rotate90: false, shift: 0, zoom: 0, shear: 0 };
/** The clean split sees the thesis' transformations on the fly instead of as stored copies. */
const FLIP_ROT_AUGMENT: Augmentation = { flips: true, rotate90: true, shift: 0, zoom: 0, shear: 0 };

export async function runSeed002(o: Seed002Options, hooks: SeedHooks = {}): Promise<Seed002Result> {
  const t0 = Date.now();
  const stage = (s: string): void => hooks.onStage?.(s);
  if (!(o.minutes > 0)) throw new SeedInputError(`--minutes must be positive, got ${o.minutes}`);
  if (!o.families.length) throw new SeedInputError(`no networks to train (give --families, e.g. ${SEED002_FAMILIES.join(',')})`);
  const nets = new Map(o.families.map((f) => [f, o.networks?.[f] ?? SEED002_NETWORKS[f]]));
  // A network config that cannot build fails here, before any project is written.
  for (const [f, n] of nets) {
    try {
      resolveModelSpec(n.model);
    } catch (err) {
      throw new SeedInputError(`${f}: ${(err as Error).message}`);
    }
  }

  stage(`reading ${o.folder}`);
  const { items, withoutMask } = await readSeedFolder(o.folder);
  const size = o.thesisSize ?? THESIS_SIZE;
  const thesisPlan = o.protocol === 'thesis' ? planThesis(items, o.seed, size) : null;
  const bySplit = thesisPlan ? thesisPlan.bySplit : planClean(items).bySplit;
  const counts = `${bySplit.train} train / ${bySplit.val} val / ${bySplit.test} test`;
  if (thesisPlan && thesisPlan.kept === 0) {
    throw new SeedInputError(`${o.folder}: none of the ${items.length} images is exactly ${size}x${size}, which the thesis protocol keeps; use --protocol clean`);
  }
  if (bySplit.train === 0 || bySplit.test === 0) {
    throw new SeedInputError(`${o.folder}: the ${o.protocol} split leaves ${counts}; training needs train images and scoring needs test images (the folder needs more images with masks)`);
  }
  if (thesisPlan) stage(`thesis protocol: ${thesisPlan.kept} of ${items.length} images are exactly ${size}x${size}; ${thesisPlan.entries.length} with their flip/rot90 copies, split ${counts}`);

  const { project: p, tempDir } = openSeedProject(o.projectPath, `seed002-${o.protocol}`);
  let succeeded = false;
  try {
    // Training reads the project's whole train split: nothing else may be in it.
    if (thesisPlan) {
      checkProjectImages(p, (img) => img.tags.includes(THESIS_TAG), `copies made by the seed002 thesis protocol (tag ${THESIS_TAG})`);
    } else {
      const ours = new Set(items.map((it) => `${it.hash}|${it.name}`));
      checkProjectImages(p, (img) => ours.has(`${img.hash}|${img.name}`), `images of ${o.folder}`);
    }

    const splitOf = new Map<number, Split>();
    if (thesisPlan) {
      stage(`writing ${thesisPlan.entries.length} images (the kept images and their copies)`);
      const bySource = new Map<string, SeedItem>(items.map((it) => [it.name, it]));
      const prepared: PreparedImage[] = [];
      for (const e of thesisPlan.entries) {
        const src = bySource.get(e.source) as SeedItem;
        const image = copyImage(src.image, e.copy);
        const bytes = await encodeRgbPng(image);
        prepared.push({ file: e.name, name: e.name, bytes, hash: hashBytes(bytes), format: 'png', image, mask: copyMask(src.mask, e.copy), split: e.split, tags: [THESIS_TAG] });
      }
      const wanted = prepared.map((x, k) => ({ hash: x.hash, name: x.name, split: thesisPlan.entries[k].split }));
      await writePrepared(p, prepared, 'experiment', emptyReport());
      for (const w of wanted) {
        const id = p.images.find(w.hash, w.name);
        if (id === null) throw new Error(`${w.name} was not written`);
        splitOf.set(id, w.split);
      }
    } else {
      stage(`importing ${items.length} images with masks`);
      await importFolder(p, o.folder, { maskConvention: 'auto', author: 'experiment', signal: hooks.signal });
      for (const it of items) {
        const id = p.images.find(it.hash, it.name);
        if (id === null) throw new Error(`${it.name} was not imported`);
        splitOf.set(id, it.split);
      }
    }
    // The plan's split wins over anything stored before (an earlier run moved no image, but a user may have).
    applySplits(p, splitOf);
    const testIds = [...splitOf].filter(([, s]) => s === 'test').map(([id]) => id).sort((a, b) => a - b);

    const trained: { family: Seed002Family; ref: string; stoppedBy: string; backend: Backend | null; facts: ModelFacts }[] = [];
    for (const [family, net] of nets) {
      const name = `seed002-${o.protocol}-${family}`;
      stage(`training ${family} (${name}) for ${o.minutes} min on ${bySplit.train} images (${bySplit.val} validate)`);
      const out = await trainNetwork(p, name, net, { minutes: o.minutes, seed: o.seed, augmentation: thesisPlan ? NO_AUGMENT : FLIP_ROT_AUGMENT }, hooks);
      stage(`segmenting ${testIds.length} test images with ${out.modelRef}`);
      await segmentImages(p, out.modelRef, testIds, hooks);
      trained.push({ family, ref: out.modelRef, stoppedBy: out.stoppedBy, backend: out.backend, facts: modelFacts(p, out.modelRef) });
    }

    stage(`comparing ${trained.map((t) => t.ref).join(', ')} on the ${testIds.length} test images`);
    const { comparison } = runComparison(p, {
      sources: trained.map((t) => t.ref), split: 'test', imageIds: testIds, metric: 'dice.nucleus',
      label: `experiment seed002 (${o.protocol}${thesisPlan ? ', leaking split' : ''})`,
    });
    const rows: Seed002Row[] = trained.map((t, k) => {
      const src = comparison.sources[k];
      const m = (key: string): MeanSe => src.result.means[key] ?? { mean: Number.NaN, se: Number.NaN, n: 0 };
      return {
        family: t.family, model: t.ref, arch: t.facts.arch, params: t.facts.params, trainingSeconds: t.facts.trainingSeconds,
        epochsRun: t.facts.epochsRun, bestEpoch: t.facts.bestEpoch, stoppedBy: t.stoppedBy, backend: t.backend,
        diceCytoplasm: m('dice.cytoplasm'), diceNucleus: m('dice.nucleus'), iouCytoplasm: m('iou.cytoplasm'), iouNucleus: m('iou.nucleus'), accuracy: m('accuracy'),
        evaluationId: src.evaluationId, thesis: thesisRow(t.family),
      };
    });
    succeeded = true;
    return {
      experiment: 'seed002',
      protocol: o.protocol,
      project: p.path,
      temporaryProject: tempDir !== null,
      folder: resolve(o.folder),
      images: { inFolder: items.length, withoutMasks: withoutMask.length, exactSize: thesisPlan ? { size, count: thesisPlan.kept } : null, ...bySplit },
      leak: thesisPlan?.leak ?? null,
      minutes: o.minutes,
      comparisonId: comparison.id,
      evaluationImages: comparison.imageIds.length,
      rows,
      thesisSource: thesis.source,
      thesisNote: `${thesis.protocol}. ${thesis.iouNote}`,
      seconds: Math.round((Date.now() - t0) / 1000),
    };
  } finally {
    p.close();
    if (!succeeded) discardTemp(tempDir);
  }
}
