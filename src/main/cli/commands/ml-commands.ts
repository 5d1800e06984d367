// Engine commands: train, segment, models, export-model, import-model. TensorFlow runs in
// the ML worker process; these commands drive it and print its backend, progress and result.
import { existsSync, statSync } from 'node:fs';
import type { Command } from 'commander';
import { CliError, oneOf, parseFloatOption, parseIntOption } from '../cli-error';
import { openForCli } from '../open-project';
import { ProgressBar } from '../progress-bar';
import type { Project } from '../../project/project';
import { userName } from '../../api/user-name';
import { expectedBackend } from '../../ml/expected-backend';
import { JobCancelledError } from '../../jobs/job-manager';
import { BACKEND_LABEL, MASK_CONVENTIONS, SPLITS, type Backend, type MaskConvention, type ModelTask } from '../../../shared/domain';
import { DEFAULT_TRAIN, DEFAULT_UNET, type Augmentation, type SegmentRequest, type TrainPoint, type TrainRequest } from '../../../shared/ml';
import { resumeTraining, startTraining, TrainingError, type TrainOutcome } from '../../ml/training/train-service';
import { runSegmentation } from '../../ml/inference/segment-service';
import { ModelsRepo, ModelRefError } from '../../ml/registry/models-repo';
import { RunsRepo } from '../../ml/registry/runs-repo';
import { importModelFolder, writeModelFolder } from '../../ml/registry/model-folder';
import { ModelFileError } from '../../ml/training/network-io';

const TASKS = ['binary', 'multiclass', 'multiclass-edge'] as const;

function printBackend(backend: Backend, detail: string | null, json: boolean): void {
  if (!json) console.log(`backend: ${BACKEND_LABEL[backend]}${detail ? ` (${detail})` : ''}`);
}

/** Commands that do not run TF print the backend the worker would pick. */
function printExpectedBackend(json: boolean): void {
  if (!json) console.log(`backend: ${BACKEND_LABEL[expectedBackend()]} (ML worker)`);
}

export function fmtSeconds(s: number | null): string {
  if (s === null || !Number.isFinite(s)) return '?';
  if (s < 60) return `${Math.round(s)}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(Math.round(s % 60)).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.round((s % 3600) / 60)).padStart(2, '0')}m`;
}

const fmt = (v: number | null | undefined, d = 4): string => (v === null || v === undefined ? '-' : v.toFixed(d));

function diceText(d: Record<string, number> | null): string {
  if (!d) return '';
  return Object.entries(d).map(([k, v]) => `${k} ${v.toFixed(3)}`).join(' ');
}

/** `flips,rot90,shift=0.1,zoom=0.1,shear=0.1` or `none`. */
export function parseAugment(value: string): Augmentation {
  const a: Augmentation = { flips: false, rotate90: false, shift: 0, zoom: 0, shear: 0 };
  if (value === 'none') return a;
  for (const part of value.split(',').map((s) => s.trim()).filter(Boolean)) {
    const [key, raw] = part.split('=');
    const num = raw === undefined ? null : Number(raw);
    if (raw !== undefined && (!Number.isFinite(num) || (num as number) < 0 || (num as number) > 1)) throw new CliError(`--augment: '${part}' needs a number from 0 to 1`, 2);
    if (key === 'flips') a.flips = true;
    else if (key === 'rot90' || key === 'rotate90') a.rotate90 = true;
    else if (key === 'shift') a.shift = num ?? 0.1;
    else if (key === 'zoom') a.zoom = num ?? 0.1;
    else if (key === 'shear') a.shear = num ?? 0.1;
    else throw new CliError(`--augment: unknown augmentation '${key}' (flips, rot90, shift[=f], zoom[=f], shear[=rad], or none)`, 2);
  }
  return a;
}

function parseWeights(value: string): number[] {
  const w = value.split(',').map(Number);
  if (!w.length || w.some((v) => !Number.isFinite(v) || v < 0)) throw new CliError(`--class-weights must be non-negative numbers separated by commas, got '${value}'`, 2);
  return w;
}

interface TrainOpts {
  name?: string;
  task?: ModelTask;
  size?: number;
  depth?: number;
  baseFilters?: number;
  dropout?: number;
  epochs?: number;
  minutes?: number;
  batch?: number;
  lr?: number;
  patience?: number;
  clipNorm?: number;
  classWeights?: number[];
  augment?: Augmentation;
  seed?: number;
  from?: string;
  images: 'all' | 'corrected';
  resume?: number;
  json: boolean;
}

function buildRequest(o: TrainOpts): TrainRequest {
  if (!o.name) throw new CliError('--name is required (the model name; the new version is NAME@N)', 2);
  const archGiven = o.task !== undefined || o.size !== undefined || o.depth !== undefined || o.baseFilters !== undefined || o.dropout !== undefined;
  if (o.from && archGiven) throw new CliError('--from fine-tunes an existing network: its task and architecture are kept, so --task/--size/--depth/--base-filters/--dropout cannot be combined with it', 2);
  return {
    name: o.name,
    unet: {
      task: o.task ?? DEFAULT_UNET.task,
      inputSize: o.size ?? DEFAULT_UNET.inputSize,
      depth: o.depth ?? DEFAULT_UNET.depth,
      baseFilters: o.baseFilters ?? DEFAULT_UNET.baseFilters,
      dropout: o.dropout ?? DEFAULT_UNET.dropout,
    },
    // A time budget alone means "train until the time is up".
    epochs: o.epochs ?? (o.minutes !== undefined ? 100_000 : DEFAULT_TRAIN.epochs),
    minutes: o.minutes ?? null,
    batch: o.batch ?? DEFAULT_TRAIN.batch,
    lr: o.lr ?? DEFAULT_TRAIN.lr,
    patience: o.patience === undefined ? DEFAULT_TRAIN.patience : o.patience === 0 ? null : o.patience,
    clipNorm: o.clipNorm ?? null,
    classWeights: o.classWeights ?? null,
    augmentation: o.augment ?? DEFAULT_TRAIN.augmentation,
    from: o.from ?? null,
    images: o.images,
    seed: o.seed ?? DEFAULT_TRAIN.seed,
  };
}

async function trainCommand(path: string, o: TrainOpts): Promise<void> {
  const p = openForCli(path);
  const bar = new ProgressBar('training', o.json);
  const abort = new AbortController();
  const onSigint = (): void => {
    if (abort.signal.aborted) return;
    bar.done();
    console.error('stopping after the current step (Ctrl+C again to force)...');
    abort.abort();
    process.once('SIGINT', () => process.exit(130));
  };
  process.once('SIGINT', onSigint);
  let backend: { backend: Backend; detail: string } | null = null;
  let runId: number | null = null;
  const log = (line: string): void => {
    bar.done();
    if (!o.json) console.log(line);
  };
  try {
    const callbacks = {
      signal: abort.signal,
      onRun: (id: number) => {
        runId = id;
      },
      onReady: (b: Backend, detail: string) => {
        backend = { backend: b, detail };
        printBackend(b, detail, o.json);
      },
      onLoading: (done: number, total: number) => bar.update(done, total, 'loading images'),
      onStarted: (s: { trainImages: number; valImages: number; startEpoch: number; skipped: { file: string; reason: string }[] }) => {
        log(`run ${runId}: ${s.trainImages} training images, ${s.valImages} validation images${s.startEpoch ? `, resuming after epoch ${s.startEpoch}` : ''}`);
        for (const k of s.skipped) log(`  skipped: ${k.file}: ${k.reason}`);
      },
      onPoint: (pt: TrainPoint) => {
        const epochs = pt.epochs !== undefined && pt.epochs < 100_000 ? `/${pt.epochs}` : '';
        if (pt.kind === 'epoch') {
          log(`epoch ${pt.epoch}${epochs}: loss ${fmt(pt.loss)}  val loss ${fmt(pt.valLoss)}  val dice ${diceText(pt.valDice) || '-'}  ${pt.imagesPerSecond.toFixed(1)} img/s  ETA ${fmtSeconds(pt.etaSeconds)}`);
        } else {
          const spe = pt.stepsPerEpoch ?? 1;
          const inEpoch = ((pt.step - 1) % spe) + 1;
          bar.update(inEpoch, spe, `epoch ${pt.epoch}${epochs} loss ${fmt(pt.loss)} ${pt.imagesPerSecond.toFixed(1)} img/s ETA ${fmtSeconds(pt.etaSeconds)}`);
        }
      },
    };
    let out: TrainOutcome;
    if (o.resume !== undefined) {
      const extra = (['name', 'task', 'size', 'depth', 'baseFilters', 'dropout', 'epochs', 'minutes', 'batch', 'lr', 'patience', 'from'] as const).filter((k) => o[k] !== undefined);
      if (extra.length) throw new CliError(`--resume continues run ${o.resume} with its own settings; drop ${extra.map((k) => `--${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`).join(', ')}`, 2);
      out = await resumeTraining(p, o.resume, callbacks);
    } else {
      out = await startTraining(p, buildRequest(o), callbacks);
    }
    bar.done();
    if (o.json) {
      console.log(JSON.stringify({ ...out, backendDetail: (backend as { detail: string } | null)?.detail ?? null }, null, 2));
    } else {
      const m = out.metrics;
      const dice = Object.entries(m).filter(([k]) => k.startsWith('dice.')).map(([k, v]) => `${k.slice(5)} ${v.toFixed(3)}`).join(', ');
      console.log(`saved model ${out.modelRef} (run ${out.runId}; ${out.epochsRun} epochs, stopped by ${out.stoppedBy}; best epoch ${m.bestEpoch ?? '-'}${m.valLoss !== undefined ? `, val loss ${m.valLoss.toFixed(4)}` : ''}${dice ? `, val dice ${dice}` : ''})`);
    }
  } catch (err) {
    bar.done();
    if (err instanceof CliError) throw err;
    if (err instanceof JobCancelledError) throw new CliError(`training run ${runId ?? '?'} cancelled; its last checkpoint is kept (continue with \`hemaseg train ${path} --resume ${runId ?? 'RUN'}\`)`, 130);
    if (err instanceof TrainingError) throw new CliError(err.message);
    throw new CliError((err as Error).message);
  } finally {
    process.removeListener('SIGINT', onSigint);
    p.close();
  }
}

interface SegmentOpts {
  model: string;
  images: 'all' | 'train' | 'val' | 'test' | 'unlabeled';
  ids?: number[];
  out?: string;
  convention: MaskConvention;
  threshold?: number;
  json: boolean;
}

async function segmentCommand(target: string, o: SegmentOpts): Promise<void> {
  if (!existsSync(target)) throw new CliError(`${target}: no such project file or folder`);
  const isFolder = statSync(target).isDirectory();
  let p: Project | null = null;
  let req: SegmentRequest;
  if (isFolder) {
    if (!o.out) throw new CliError(`${target} is a folder: pass --out DIR for the masks (and --convention gray3|rgb|binary)`, 2);
    req = { model: o.model, threshold: o.threshold ?? 0.5, target: { kind: 'folder', folder: target, out: o.out, convention: o.convention } };
  } else {
    if (o.out) throw new CliError('--out is for segmenting a plain folder; project predictions are stored in the project (export them with `hemaseg export-masks --kind prediction`)', 2);
    p = openForCli(target);
    req = {
      model: o.model,
      threshold: o.threshold ?? p.settings.get().threshold,
      target: { kind: 'project', images: o.images, ...(o.ids ? { imageIds: o.ids } : {}) },
    };
  }
  const bar = new ProgressBar('segmenting', o.json);
  const abort = new AbortController();
  const onSigint = (): void => abort.abort();
  process.once('SIGINT', onSigint);
  const errors: string[] = [];
  try {
    const r = await runSegmentation(p, req, {
      author: userName(),
      signal: abort.signal,
      onReady: (b, d) => printBackend(b, d, o.json),
      onProgress: (e) => {
        bar.update(e.done, e.total, `${e.imagesPerSecond.toFixed(1)} img/s`);
        if (e.error) errors.push(`${e.file}: ${e.error}`);
      },
    });
    bar.done();
    if (o.json) {
      console.log(JSON.stringify({ ...r, imageIds: undefined }, null, 2));
    } else {
      const where = isFolder ? `masks in ${o.out} (${o.convention})` : `stored as ${r.kind} masks, source ${r.modelRef}`;
      console.log(`segmented ${r.segmented} images with ${r.modelRef}: ${where}, ${r.imagesPerSecond.toFixed(1)} images/s${r.failed.length ? `, ${r.failed.length} failed` : ''}`);
      for (const f of r.failed) console.log(`  failed: ${f.file}: ${f.reason}`);
    }
    if (r.segmented === 0) throw new CliError(r.failed.length ? `no image could be segmented (${r.failed.length} failed)` : 'no images to segment');
    if (r.failed.length) process.exitCode = 1;
  } catch (err) {
    bar.done();
    if (err instanceof CliError) throw err;
    if (err instanceof JobCancelledError) throw new CliError('segmentation cancelled (masks written so far are kept)', 130);
    throw new CliError((err as Error).message);
  } finally {
    process.removeListener('SIGINT', onSigint);
    p?.close();
  }
}

function idList(value: string): number[] {
  const ids = value.split(',').map(Number);
  if (ids.some((n) => !Number.isInteger(n) || n < 1)) throw new CliError(`--ids must be image ids separated by commas, got '${value}'`, 2);
  return ids;
}

export function registerMlCommands(program: Command): void {
  program
    .command('train')
    .description('train a U-Net on the ground truth of the train split (validation on val) in the ML worker; the result is a new model version')
    .argument('<project>', 'project file')
    .option('--name <name>', 'model name (the new version becomes NAME@N)')
    .option('--task <task>', 'binary | multiclass | multiclass-edge (default multiclass-edge)', oneOf('task', TASKS))
    .option('--size <px>', 'input size (divisible by 2^depth; default 128)', parseIntOption('size', 8, 1024))
    .option('--depth <n>', 'poolings (default 3)', parseIntOption('depth', 1, 6))
    .option('--base-filters <n>', 'filters of the first level (default 16)', parseIntOption('base-filters', 1, 256))
    .option('--dropout <rate>', 'dropout before the output layer (default 0.5)', parseFloatOption('dropout', 0, 0.95))
    .option('--epochs <n>', 'maximum epochs (default 50, or unlimited with --minutes)', parseIntOption('epochs', 1))
    .option('--minutes <m>', 'time budget in minutes', parseFloatOption('minutes', 0.01, 100_000))
    .option('--batch <n>', 'batch size (default 8)', parseIntOption('batch', 1, 512))
    .option('--lr <rate>', 'Adam learning rate (default 0.0001)', parseFloatOption('lr', 1e-8, 0.99))
    .option('--patience <epochs>', 'early stopping patience on validation loss (default 10; 0 = off)', parseIntOption('patience', 0))
    .option('--clip-norm <n>', 'clip gradients to this global norm', parseFloatOption('clip-norm', 1e-6, 1e6))
    .option('--class-weights <w,...>', 'loss weight per class (binary: bg,cell; multiclass: bg,cyto,nucleus; multiclass-edge: bg,cyto,nucleus,edge, default 1,1,1,10)', parseWeights)
    .option('--augment <list>', 'flips,rot90,shift=F,zoom=F,shear=RAD or none (default flips,rot90,shift=0.05,zoom=0.05)', parseAugment)
    .option('--seed <n>', 'random seed (default 1)', parseIntOption('seed', 0))
    .option('--from <model>', 'fine-tune from MODEL[@VERSION] (keeps its architecture)')
    .option('--images <which>', 'all | corrected (only hand-corrected ground truth)', oneOf('images', ['all', 'corrected'] as const), 'all')
    .option('--resume <run>', 'continue an interrupted or cancelled run from its last checkpoint', parseIntOption('resume', 1))
    .option('--json', 'print the result as JSON', false)
    .action((path: string, o: TrainOpts) => trainCommand(path, o));

  program
    .command('segment')
    .description('segment the images of a project (stored as prediction masks) or of a plain folder (PNG masks to --out) in the ML worker')
    .argument('<target>', 'project file, or a folder of images')
    .requiredOption('--model <model>', 'NAME[@VERSION], default, a classical segmenter (e.g. active-contour), or for a folder a path to an exported model')
    .option('--images <which>', 'project images: all | train | val | test | unlabeled', oneOf('images', ['all', ...SPLITS, 'unlabeled'] as const), 'all')
    .option('--ids <ids>', 'only these project image ids (comma-separated)', idList)
    .option('--out <dir>', 'folder target: where to write the masks')
    .option('--convention <name>', 'folder target: gray3 | rgb | binary', oneOf('convention', MASK_CONVENTIONS), 'gray3')
    .option('--threshold <t>', 'binary models: probability threshold (default: project setting, 0.5)', parseFloatOption('threshold', 0.001, 0.999))
    .option('--json', 'print the result as JSON', false)
    .action((target: string, o: SegmentOpts) => segmentCommand(target, o));

  program
    .command('models')
    .description('list the model versions in a project (and, with --runs, the training runs)')
    .argument('<project>', 'project file')
    .option('--runs', 'list training runs instead', false)
    .option('--json', 'print as JSON', false)
    .action((path: string, o: { runs: boolean; json: boolean }) => {
      const p = openForCli(path);
      try {
        printExpectedBackend(o.json);
        if (o.runs) {
          const runs = new RunsRepo(p.db).list();
          if (o.json) return console.log(JSON.stringify(runs.map((r) => ({ ...r, curves: undefined, epochs: r.curves.length })), null, 2));
          if (!runs.length) return console.log('no training runs');
          for (const r of runs) {
            console.log(`run ${r.id}  ${r.modelName}  ${r.status}${r.resultRef ? ` -> ${r.resultRef}` : ''}  ${r.backend ?? '-'}  started ${r.startedAt}  checkpoint epoch ${r.checkpointEpoch ?? '-'}${r.error ? `\n    ${r.error}` : ''}`);
          }
          return;
        }
        const models = new ModelsRepo(p.db).list();
        if (o.json) return console.log(JSON.stringify(models, null, 2));
        if (!models.length) return console.log('no models yet (train one with `hemaseg train`, or segment with --model default)');
        const rows = models.map((m) => [
          m.ref, m.task, `${m.config.inputSize}px d${m.config.depth} f${m.config.baseFilters}`, m.backend ?? '-', String(m.trainImages),
          m.metrics.valLoss !== undefined ? m.metrics.valLoss.toFixed(4) : '-',
          Object.entries(m.metrics).filter(([k]) => k.startsWith('dice.')).map(([k, v]) => `${k.slice(5)} ${v.toFixed(3)}`).join(' ') || '-',
          m.createdAt.slice(0, 16).replace('T', ' '), m.parentRef ?? '-',
        ]);
        const head = ['MODEL', 'TASK', 'ARCH', 'BACKEND', 'TRAIN', 'VAL LOSS', 'VAL DICE', 'CREATED', 'PARENT'];
        const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
        for (const r of [head, ...rows]) console.log(r.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd());
      } finally {
        p.close();
      }
    });

  program
    .command('export-model')
    .description('write a model version to a folder: model.json + weights.bin + metadata.json')
    .argument('<project>', 'project file')
    .argument('<model>', 'NAME[@VERSION] (default: newest version)')
    .argument('<dir>', 'output folder')
    .option('--json', 'print as JSON', false)
    .action((path: string, ref: string, dir: string, o: { json: boolean }) => {
      const p = openForCli(path);
      try {
        printExpectedBackend(o.json);
        const repo = new ModelsRepo(p.db);
        const info = repo.resolve(ref);
        const files = writeModelFolder(dir, repo.load(info.id)!);
        if (o.json) console.log(JSON.stringify({ model: info.ref, files }, null, 2));
        else console.log(`exported ${info.ref} to ${dir} (${files.map((f) => f.split(/[\\/]/).pop()).join(', ')})`);
      } catch (err) {
        if (err instanceof ModelRefError) throw new CliError(`${path}: ${err.message}`);
        throw new CliError((err as Error).message);
      } finally {
        p.close();
      }
    });

  program
    .command('import-model')
    .description('add an exported model folder to a project as a new version')
    .argument('<project>', 'project file')
    .argument('<dir>', 'folder with model.json, weights.bin, metadata.json')
    .option('--name <name>', 'register under this name (default: the name in metadata.json)')
    .option('--json', 'print as JSON', false)
    .action((path: string, dir: string, o: { name?: string; json: boolean }) => {
      const p = openForCli(path);
      try {
        printExpectedBackend(o.json);
        const r = importModelFolder(p, dir, { name: o.name });
        if (o.json) console.log(JSON.stringify({ model: r.model, existing: r.existing }, null, 2));
        else if (r.existing) console.log(`${dir} is already in the project as ${r.model.ref} (identical weights); nothing added`);
        else console.log(`imported ${dir} as ${r.model.ref} (${r.model.task}, ${r.model.config.inputSize}px)`);
      } catch (err) {
        if (err instanceof ModelFileError || err instanceof ModelRefError) throw new CliError(err.message);
        throw new CliError((err as Error).message);
      } finally {
        p.close();
      }
    });
}
