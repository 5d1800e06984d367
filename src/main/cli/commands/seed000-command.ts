// `hemaseg experiment seed000`: the LSTM-CNN report's table reproduced on the simulated film
// (src/main/experiments/seed000). Bad options exit with code 2 before any training.
import type { Command } from 'commander';
import { BACKEND_LABEL, type Backend } from '../../../shared/domain';
import type { TrainPoint } from '../../../shared/ml';
import { JobCancelledError } from '../../jobs/job-manager';
import { SeedInputError } from '../../experiments/seed-common/seed-folder';
import { parseNetworks, runSeed000, SEED000_DEFAULT_MINUTES } from '../../experiments/seed000/seed000';
import { formatSeed000Report, SEED000_NETWORKS } from '../../experiments/seed000/seed000-table';
import { CliError, parseFloatOption, parseIntOption } from '../cli-error';
import { ProgressBar } from '../progress-bar';

interface Seed000Opts {
  project?: string;
  minutes: number;
  networks?: string;
  seed: number;
  frames: number;
  size: number;
  batch: number;
  patience: number;
  clipNorm?: number;
  stream: boolean;
  json: boolean;
}

export function registerSeed000(experiment: Command): void {
  experiment
    .command('seed000')
    .description("seed 000: the LSTM-CNN report on the simulated film of flowing red cells: two films under the seed's 40/10/50 split (other frames unused), the ten networks (five LSTM-CNNs, five similar CNNs) plus En-T-D2 and D3 trained on 5-frame clips, scored on the test frames at threshold 0.7 beside the report's table")
    .option('--project <file>', 'run in this project (created when missing; films reused when present) instead of a temporary one')
    .option('--minutes <m>', 'training budget per network, minutes', parseFloatOption('minutes', 0.01, 10_000), SEED000_DEFAULT_MINUTES)
    .option('--networks <list>', `comma-separated networks (default all twelve: ${SEED000_NETWORKS.join(', ')})`)
    .option('--seed <k>', 'seed of film 1 (film 2: seed + 1) and of the training', parseIntOption('seed', 0), 1)
    .option('--frames <n>', 'frames per film (the report: 500)', parseIntOption('frames', 6, 100_000), 500)
    .option('--size <px>', 'frame side (the report: 128; a multiple of 4)', parseIntOption('size', 16, 1024), 128)
    .option('--batch <n>', 'clips per step', parseIntOption('batch', 1, 256), 1)
    .option('--patience <n>', 'stop after this many consecutive increases of the validation cost (the report: 100; 0 = off)', parseIntOption('patience', 0), 100)
    .option('--clip-norm <n>', 'global-norm gradient clipping (the report advises it for the pooling and decoder networks)', parseFloatOption('clip-norm', 1e-6, 1e6))
    .option('--no-stream', 'skip segmenting the test frames by streaming the films (the table then has no stream column)')
    .option('--json', 'print the result as JSON', false)
    .action(async (o: Seed000Opts) => {
      if (o.size % 4 !== 0) throw new CliError(`--size ${o.size} must be a multiple of 4 (the encoders sub-sample by 4)`, 2);
      let networks: string[] | undefined;
      try {
        networks = o.networks !== undefined ? parseNetworks(o.networks) : undefined;
      } catch (err) {
        throw new CliError((err as Error).message, 2);
      }
      const bar = new ProgressBar('seed000', o.json);
      const abort = new AbortController();
      const onSigint = (): void => abort.abort();
      process.once('SIGINT', onSigint);
      const log = (s: string): void => {
        bar.done();
        if (!o.json) console.log(s);
      };
      let shownBackend = false;
      try {
        const r = await runSeed000(
          {
            projectPath: o.project ?? null, minutes: o.minutes, networks, seed: o.seed, frames: o.frames, size: o.size, batch: o.batch,
            patience: o.patience === 0 ? null : o.patience, clipNorm: o.clipNorm ?? null, stream: o.stream,
          },
          {
            signal: abort.signal,
            onStage: (s) => log(`${s}...`),
            onBackend: (b: Backend, d: string) => {
              if (!shownBackend) log(`backend: ${BACKEND_LABEL[b]}${d ? ` (${d})` : ''}`);
              shownBackend = true;
            },
            onSegmentProgress: (done, total) => bar.update(done, total, 'frames'),
            onPoint: (pt: TrainPoint) => {
              if (pt.kind === 'validation') bar.update(pt.step, pt.step, `step ${pt.step} (epoch ${pt.epoch}) train ${pt.loss.toFixed(4)}${pt.valLoss !== null ? ` val ${pt.valLoss.toFixed(4)}` : ''}`);
            },
          },
        );
        bar.done();
        console.log(o.json ? JSON.stringify(r, null, 2) : `\n${formatSeed000Report(r)}`);
      } catch (err) {
        bar.done();
        if (err instanceof SeedInputError) throw new CliError(err.message, 2);
        if (err instanceof JobCancelledError) throw new CliError('experiment cancelled', 130);
        throw new CliError((err as Error).message);
      } finally {
        process.removeListener('SIGINT', onSigint);
      }
    });
}
