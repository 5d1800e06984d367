// `hemaseg experiment seed002` and `hemaseg experiment seed003`: the seeds' tables reproduced
// on a folder of images with expert masks (src/main/experiments/seed002, seed003). Bad input
// exits with code 2 before any training.
import type { Command } from 'commander';
import { BACKEND_LABEL, type Backend } from '../../../shared/domain';
import type { TrainPoint } from '../../../shared/ml';
import { JobCancelledError } from '../../jobs/job-manager';
import { SeedInputError } from '../../experiments/seed-common/seed-folder';
import type { SeedHooks } from '../../experiments/seed-common/seed-run';
import { parseFamilies, SEED002_FAMILIES } from '../../experiments/seed002/networks';
import { SEED002_PROTOCOLS, type Seed002Protocol } from '../../experiments/seed002/protocols';
import { runSeed002, SEED002_DEFAULT_DATA, SEED002_DEFAULT_MINUTES } from '../../experiments/seed002/seed002';
import { formatSeed002Report } from '../../experiments/seed002/seed002-table';
import { lrLabel, parseLrs } from '../../experiments/seed003/folds';
import { runSeed003, SEED003_DEFAULT_FOLDS, SEED003_DEFAULT_LRS, SEED003_DEFAULT_MINUTES } from '../../experiments/seed003/seed003';
import { formatSeed003Report } from '../../experiments/seed003/seed003-table';
import { CliError, oneOf, parseFloatOption, parseIntOption } from '../cli-error';
import { ProgressBar } from '../progress-bar';

interface Seed002Opts {
  data: string;
  project?: string;
  minutes: number;
  protocol: Seed002Protocol;
  families: string;
  seed: number;
  json: boolean;
}

interface Seed003Opts {
  data: string;
  project?: string;
  folds: number;
  lrs: string;
  minutes: number;
  seed: number;
  json: boolean;
}

const asCliError = (fn: (text: string) => unknown) => (text: string): string => {
  try {
    fn(text);
  } catch (err) {
    throw new CliError((err as Error).message, 2);
  }
  return text;
};

/** Progress on stderr-free stdout lines (nothing but the result with --json), SIGINT cancels. */
async function withHooks<T>(label: string, json: boolean, run: (hooks: SeedHooks) => Promise<T>): Promise<T> {
  const bar = new ProgressBar(label, json);
  const abort = new AbortController();
  const onSigint = (): void => abort.abort();
  process.once('SIGINT', onSigint);
  const log = (s: string): void => {
    bar.done();
    if (!json) console.log(s);
  };
  let shownBackend = false;
  try {
    return await run({
      signal: abort.signal,
      onStage: (s) => log(`${s}...`),
      onBackend: (b: Backend, d: string) => {
        if (!shownBackend) log(`backend: ${BACKEND_LABEL[b]}${d ? ` (${d})` : ''}`);
        shownBackend = true;
      },
      onSegmentProgress: (done, total) => bar.update(done, total, 'segmenting'),
      onPoint: (pt: TrainPoint) => {
        if (pt.kind === 'epoch') bar.update(pt.epoch, pt.epoch, `epoch ${pt.epoch} loss ${pt.loss.toFixed(4)}${pt.valLoss !== null ? ` val ${pt.valLoss.toFixed(4)}` : ''}`);
      },
    });
  } catch (err) {
    if (err instanceof SeedInputError) throw new CliError(err.message, 2);
    if (err instanceof JobCancelledError) throw new CliError('experiment cancelled', 130);
    throw new CliError((err as Error).message);
  } finally {
    bar.done();
    process.removeListener('SIGINT', onSigint);
  }
}

export function registerSeedExperiments(experiment: Command): void {
  experiment
    .command('seed002')
    .description('seed 002: train U-Net, SegNet and DeconvNet (cytoplasm + nucleus) on wbc-dataset1, segment its test images, compare them, and print the table beside the thesis\' numbers')
    .option('--data <folder>', 'images with masks beside them', SEED002_DEFAULT_DATA)
    .option('--project <file>', 'run in this project (created when missing) instead of a temporary one; thesis and clean need separate projects')
    .option('--minutes <m>', 'training budget per network', parseFloatOption('minutes', 0.01, 10_000), SEED002_DEFAULT_MINUTES)
    .option('--protocol <p>', 'thesis (the exactly 120x120 images, flip/rot90 copies made before a random 93/7 split: leaks) | clean (the content-hash split, test split never trained on)', oneOf('protocol', SEED002_PROTOCOLS), 'clean')
    .option('--families <list>', 'networks to train, in this order', asCliError(parseFamilies), SEED002_FAMILIES.join(','))
    .option('--seed <k>', 'random seed of the thesis split and the training', parseIntOption('seed', 0), 1)
    .option('--json', 'print the result as JSON', false)
    .action(async (o: Seed002Opts) => {
      const r = await withHooks('seed002', o.json, (hooks) =>
        runSeed002({ folder: o.data, projectPath: o.project ?? null, minutes: o.minutes, protocol: o.protocol, families: parseFamilies(o.families), seed: o.seed }, hooks),
      );
      console.log(o.json ? JSON.stringify(r, null, 2) : `\n${formatSeed002Report(r)}`);
    });

  experiment
    .command('seed003')
    .description('seed 003: k-fold cross-validation of the 2-class DeconvNet with switch unpooling (binary cell task) over a learning-rate sweep; per-fold cell IoU and the share of test images above 0.97')
    .option('--data <folder>', 'images with masks beside them', SEED002_DEFAULT_DATA)
    .option('--project <file>', 'run in this project (created when missing) instead of a temporary one')
    .option('--folds <k>', 'cross-validation folds', parseIntOption('folds', 2, 1000), SEED003_DEFAULT_FOLDS)
    .option('--lrs <list>', 'learning rates, comma-separated', asCliError(parseLrs), SEED003_DEFAULT_LRS.map(lrLabel).join(','))
    .option('--minutes <m>', 'training budget per run (folds x learning rates runs)', parseFloatOption('minutes', 0.01, 10_000), SEED003_DEFAULT_MINUTES)
    .option('--seed <k>', 'random seed of the folds and the training', parseIntOption('seed', 0), 1)
    .option('--json', 'print the result as JSON', false)
    .action(async (o: Seed003Opts) => {
      const r = await withHooks('seed003', o.json, (hooks) =>
        runSeed003({ folder: o.data, projectPath: o.project ?? null, folds: o.folds, lrs: parseLrs(o.lrs), minutes: o.minutes, seed: o.seed }, hooks),
      );
      console.log(o.json ? JSON.stringify(r, null, 2) : `\n${formatSeed003Report(r)}`);
    });
}
