// `hemaseg experiment loop`: the correction loop on a folder of images with expert masks
// (src/main/experiments). Bad input exits non-zero before any project is written.
import type { Command } from 'commander';
import { BACKEND_LABEL, type Backend } from '../../../shared/domain';
import { DEFAULT_FINETUNE } from '../../../shared/ml';
import { runLoopExperiment, type PickStrategy } from '../../experiments/loop-experiment';
import { LoopInputError } from '../../experiments/loop-input';
import { formatLoopReport } from '../../experiments/loop-table';
import { JobCancelledError } from '../../jobs/job-manager';
import { CliError, oneOf, parseFloatOption, parseIntOption } from '../cli-error';
import { ProgressBar } from '../progress-bar';
import { registerSeedExperiments } from './seed-experiment-commands';
import { registerSeed001 } from './seed001-command';
import { registerSeed000 } from './seed000-command';

interface LoopOpts {
  corrections: number;
  pick: PickStrategy;
  minutes: number;
  from: string;
  seed: number;
  project?: string;
  lr?: number;
  json: boolean;
}

export function registerExperimentCommands(program: Command): void {
  const experiment = program.command('experiment').description('experiments that measure the product end to end on a folder of images with masks');
  experiment
    .command('loop')
    .description('the correction loop: import FOLDER, score the starting model on the test split, correct N train-split images with their expert masks, fine-tune, segment and score the test split again')
    .argument('<folder>', 'images with masks beside them (001.bmp + 001.png, or name_mask.png)')
    .option('--corrections <n>', 'images the simulated technician corrects (from the train split)', parseIntOption('corrections', 1, 100_000), 30)
    .option('--pick <how>', 'random | uncertain (least confident under the --from model) | mixed (half least confident, half random)', oneOf('pick', ['random', 'uncertain', 'mixed'] as const), 'random')
    .option('--minutes <m>', `training budget in minutes (default ${DEFAULT_FINETUNE.minutes})`, parseFloatOption('minutes', 0.01, 10_000), DEFAULT_FINETUNE.minutes)
    .option('--from <model>', "default (the project's default, else the shipped model) | scratch | MODEL_DIR | a model in --project", 'default')
    .option('--seed <k>', 'random seed of the pick and the training', parseIntOption('seed', 0), 1)
    .option('--project <file>', 'run in this project (created when missing) instead of a temporary one')
    .option('--lr <rate>', `learning rate (default ${DEFAULT_FINETUNE.lr})`, parseFloatOption('lr', 1e-8, 0.99))
    .option('--json', 'print the result as JSON', false)
    .action(async (folder: string, o: LoopOpts) => {
      const bar = new ProgressBar('loop', o.json);
      const abort = new AbortController();
      const onSigint = (): void => abort.abort();
      process.once('SIGINT', onSigint);
      const log = (s: string): void => {
        bar.done();
        if (!o.json) console.log(s);
      };
      let shownBackend = false;
      try {
        const r = await runLoopExperiment(
          { folder, corrections: o.corrections, pick: o.pick, minutes: o.minutes, from: o.from, seed: o.seed, projectPath: o.project ?? null, lr: o.lr },
          {
            signal: abort.signal,
            onStage: (s) => log(`${s}...`),
            onBackend: (b: Backend, d: string) => {
              if (!shownBackend) log(`backend: ${BACKEND_LABEL[b]}${d ? ` (${d})` : ''}`);
              shownBackend = true;
            },
            onSegmentProgress: (done, total) => bar.update(done, total, 'segmenting'),
            onPoint: (pt) => {
              if (pt.kind === 'epoch') bar.update(pt.epoch, pt.epoch, `epoch ${pt.epoch} loss ${pt.loss.toFixed(4)}${pt.valLoss !== null ? ` val ${pt.valLoss.toFixed(4)}` : ''}`);
            },
          },
        );
        bar.done();
        console.log(o.json ? JSON.stringify(r, null, 2) : `\n${formatLoopReport(r)}`);
      } catch (err) {
        bar.done();
        if (err instanceof LoopInputError) throw new CliError(err.message, 2);
        if (err instanceof JobCancelledError) throw new CliError('experiment cancelled', 130);
        throw new CliError((err as Error).message);
      } finally {
        process.removeListener('SIGINT', onSigint);
      }
    });
  registerSeedExperiments(experiment);
  registerSeed001(experiment);
  registerSeed000(experiment);
}
