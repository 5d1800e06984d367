// `hemaseg experiment seed001`: the U-LSTM paper's loss comparison (three-class edge loss vs
// boundary-weighted two-class loss) by SEG per sequence on generated touching, moving cells
// (src/main/experiments/seed001). Bad options exit with code 2 before any training.
import type { Command } from 'commander';
import { runSeed001, SEED001_CROP, SEED001_DEFAULTS } from '../../experiments/seed001/seed001';
import { formatSeed001Report } from '../../experiments/seed001/seed001-table';
import { CliError, parseFloatOption, parseIntOption } from '../cli-error';
import { ProgressBar } from '../progress-bar';

interface Seed001Opts {
  project?: string;
  minutes: number;
  sequences: number;
  testSequences: number;
  frames: number;
  size: number;
  seed: number;
  lr: number;
  depth?: number;
  baseFilters?: number;
  lstmKernel?: number;
  crop?: number;
  json: boolean;
}

export function registerSeed001(experiment: Command): void {
  const d = SEED001_DEFAULTS;
  experiment
    .command('seed001')
    .description('seed 001: the U-LSTM with the three-class edge loss vs the boundary-weighted two-class loss on generated sequences of touching, moving cells (same data, same budget); streaming inference, SEG per sequence beside the paper\'s 80.2% / 67.7%')
    .option('--project <file>', 'run in this project (created when missing) instead of a temporary one')
    .option('--minutes <m>', 'training budget per network, minutes', parseFloatOption('minutes', 0.01, 10_000), d.minutes)
    .option('--sequences <n>', 'generated sequences', parseIntOption('sequences', 2, 1000), d.sequences)
    .option('--test-sequences <n>', 'of which the last n are the test set', parseIntOption('test-sequences', 1, 999), d.testSequences)
    .option('--frames <n>', 'frames per sequence', parseIntOption('frames', 2, 10_000), d.frames)
    .option('--size <px>', 'frame side (a multiple of 2^depth)', parseIntOption('size', 16, 1024), d.size)
    .option('--seed <k>', 'random seed of the data and the training', parseIntOption('seed', 0), d.seed)
    .option('--lr <rate>', 'RMSProp learning rate (the paper: 1e-4, over a far longer training)', parseFloatOption('lr', 1e-8, 1), d.learningRate)
    .option('--depth <n>', 'U-LSTM poolings (default the family\'s, 2; the paper: 3)', parseIntOption('depth', 1, 5))
    .option('--base-filters <n>', 'U-LSTM top-level channels (default the family\'s, 4; the paper: 32)', parseIntOption('base-filters', 1, 256))
    .option('--lstm-kernel <k>', 'ConvLSTM kernel (default 7, the paper\'s)', parseIntOption('lstm-kernel', 1, 9))
    .option('--crop <px>', `side of the square training crops (default ${SEED001_CROP}; frames are segmented whole)`, parseIntOption('crop', 8, 1024))
    .option('--json', 'print the result as JSON', false)
    .action(async (o: Seed001Opts) => {
      if (o.testSequences >= o.sequences) throw new CliError(`--test-sequences (${o.testSequences}) must be below --sequences (${o.sequences}): the others train`, 2);
      const m = 2 ** (o.depth ?? 2);
      if (o.size % m !== 0) throw new CliError(`--size ${o.size} must be a multiple of 2^depth = ${m}`, 2);
      if (o.crop !== undefined && (o.crop % m !== 0 || o.crop > o.size)) throw new CliError(`--crop ${o.crop} must be a multiple of 2^depth = ${m} and at most --size ${o.size}`, 2);
      const bar = new ProgressBar('seed001', o.json);
      const config = {
        ...(o.crop !== undefined ? { inputSize: o.crop } : {}),
        ...(o.depth !== undefined ? { depth: o.depth } : {}),
        ...(o.baseFilters !== undefined ? { baseFilters: o.baseFilters } : {}),
        ...(o.lstmKernel !== undefined ? { lstmKernel: o.lstmKernel } : {}),
      };
      try {
        const r = await runSeed001(
          { projectPath: o.project ?? null, minutes: o.minutes, sequences: o.sequences, testSequences: o.testSequences, frames: o.frames, size: o.size, seed: o.seed, learningRate: o.lr, config },
          {
            onStage: (s) => {
              bar.done();
              if (!o.json) console.log(`${s}...`);
            },
            onStep: (_net, step, loss, t, budget) => bar.update(Math.min(t, budget), budget, `batch ${step} loss ${loss.toFixed(4)}`),
          },
        );
        bar.done();
        console.log(o.json ? JSON.stringify(r, null, 2) : `\n${formatSeed001Report(r)}`);
      } catch (err) {
        bar.done();
        throw err instanceof CliError ? err : new CliError((err as Error).message);
      }
    });
}
