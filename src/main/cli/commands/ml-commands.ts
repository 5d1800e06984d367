// Engine commands: train, segment, models, export-model, import-model. TensorFlow runs in
// the ML worker process; these commands drive it and print its backend, progress and result.
import { existsSync, statSync } from 'node:fs';
import { relative } from 'node:path';
import type { Command } from 'commander';
import { CliError, oneOf, parseFloatOption, parseIntOption } from '../cli-error';
import { openForCli } from '../open-project';
import { ProgressBar } from '../progress-bar';
import type { Project } from '../../project/project';
import { userName } from '../../api/user-name';
import { expectedBackend } from '../../ml/expected-backend';
import { JobCancelledError } from '../../jobs/job-manager';
import { BACKEND_LABEL, MASK_CONVENTIONS, SPLITS, type Backend, type MaskConvention } from '../../../shared/domain';
import { DEFAULT_TRAIN, INFERENCE_ENGINES, OPTIMIZERS, STOP_RULES, type OptimizerName, type StopRule, type Augmentation, type InferenceEngineChoice, type ModelSpec, type SegmentOptions, type SegmentRequest, type TrainPoint, type TrainRequest } from '../../../shared/ml';
import { resumeTraining, startTraining, TrainingError, type TrainOutcome } from '../../ml/training/train-service';
import { runSegmentation } from '../../ml/inference/segment-service';
import { ModelRefError } from '../../ml/registry/models-repo';
import { importModelFolder, writeModelFolder } from '../../ml/registry/model-folder';
import { ModelFileError } from '../../ml/families/model-file';
import { resolveModelSpec } from '../../ml/families/registry';
import { addFamilyOptions, familySpecFromOptions, givenFamilyFlags, refuseUnknownOptions, registerFamiliesCommand } from './family-options';
import { setProjectDefaultModel } from '../../ml/registry/default-model';
import { promotionOf } from '../../../shared/promotion';
import { parseAugmentationSpec } from '../../ml/data/augment-spec';

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

/** `flips,rot90,shift=0.1,zoom=0.1,shear=0.1`, presets (`robust`, `colour`, `scale`) or `none` (src/main/ml/data/augment-spec.ts). */
export function parseAugment(value: string): Augmentation {
  try {
    return parseAugmentationSpec(value);
  } catch (err) {
    throw new CliError(`--augment: ${(err as Error).message}`, 2);
  }
}

function parseWeights(value: string): number[] {
  const w = value.split(',').map(Number);
  if (!w.length || w.some((v) => !Number.isFinite(v) || v < 0)) throw new CliError(`--class-weights must be non-negative numbers separated by commas, got '${value}'`, 2);
  return w;
}

interface TrainOpts {
  name?: string;
  /** --family, --variant and the family options (strings; the family's description types them). */
  family?: string;
  variant?: string;
  [familyOption: string]: unknown;
  epochs?: number;
  minutes?: number;
  batch?: number;
  lr?: number;
  optimizer?: OptimizerName;
  patience?: number;
  validateEvery?: number;
  stopRule?: StopRule;
  clipNorm?: number;
  classWeights?: number[];
  augment?: Augmentation;
  seed?: number;
  from?: string;
  images: 'all' | 'corrected' | 'reviewed';
  resume?: number;
  json: boolean;
}

/**
 * Without --lr a new model trains at its family's rate for the network (the clip families' sources
 * prescribe one per network); a fine-tune, or a spec the family will refuse later with its
 * options named, takes the common default.
 */
function defaultLearningRate(model: ModelSpec | null): number {
  if (!model) return DEFAULT_TRAIN.lr;
  try {
    const { family, config } = resolveModelSpec(model);
    return family.defaultLearningRate?.(config) ?? DEFAULT_TRAIN.lr;
  } catch {
    return DEFAULT_TRAIN.lr;
  }
}

/** The training request of parsed `train` options (exported for the CLI parse test). */
export function buildRequest(o: TrainOpts): TrainRequest {
  if (!o.name) throw new CliError('--name is required (the model name; the new version is NAME@N)', 2);
  const archGiven = [...givenFamilyFlags(o), ...(o.family !== undefined ? ['family'] : []), ...(o.variant !== undefined ? ['variant'] : [])];
  if (o.from && archGiven.length) throw new CliError(`--from fine-tunes an existing network: its family, task, architecture and input settings are kept, so ${archGiven.map((f) => `--${f}`).join(', ')} cannot be combined with it`, 2);
  // Fine-tuning keeps the parent's network (null); else the family's defaults under the options given.
  const model = o.from ? null : familySpecFromOptions(o);
  return {
    name: o.name,
    model,
    // A time budget alone means "train until the time is up".
    epochs: o.epochs ?? (o.minutes !== undefined ? 100_000 : DEFAULT_TRAIN.epochs),
    minutes: o.minutes ?? null,
    batch: o.batch ?? DEFAULT_TRAIN.batch,
    lr: o.lr ?? defaultLearningRate(model),
    patience: o.patience === undefined ? DEFAULT_TRAIN.patience : o.patience === 0 ? null : o.patience,
    clipNorm: o.clipNorm ?? null,
    classWeights: o.classWeights ?? null,
    augmentation: o.augment ?? DEFAULT_TRAIN.augmentation,
    from: o.from ?? null,
    images: o.images,
    seed: o.seed ?? DEFAULT_TRAIN.seed,
    // Absent means Adam (requests stored before the option existed read the same).
    ...(o.optimizer && o.optimizer !== 'adam' ? { optimizer: o.optimizer } : {}),
    // Absent: validation after every epoch and the no-improvement rule, as before.
    ...(o.validateEvery !== undefined ? { validateEvery: o.validateEvery } : {}),
    ...(o.stopRule && o.stopRule !== 'no-improvement' ? { stopRule: o.stopRule } : {}),
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
      const extra = [
        ...(['name', 'family', 'variant', 'epochs', 'minutes', 'batch', 'lr', 'patience', 'validateEvery', 'stopRule', 'from'] as const).filter((k) => o[k] !== undefined).map((k) => k as string),
        ...givenFamilyFlags(o),
      ];
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
      console.log(`saved model ${out.modelRef} (run ${out.runId}; ${out.epochsRun} epochs, stopped by ${out.stoppedBy}; best epoch ${m.bestEpoch ?? '-'}${m.bestStep !== undefined ? ` (step ${m.bestStep})` : ''}${m.valLoss !== undefined ? `, val loss ${m.valLoss.toFixed(4)}` : ''}${dice ? `, val dice ${dice}` : ''})`);
      const promo = promotionOf(m);
      if (promo) {
        console.log(
          `validation Dice (cytoplasm, nucleus) on the same ${promo.images ?? '?'} images: parent ${promo.parent.toFixed(3)}, ${out.modelRef} ${promo.tuned.toFixed(3)}; ` +
            (promo.beats ? `proposed as the new default: \`hemaseg models ${path} --make-default ${out.modelRef}\`` : 'not proposed as the default (it does not beat its parent)'),
        );
      }
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
  tta?: 'none' | 'flip' | 'd4';
  scaleNorm?: boolean;
  fillHoles?: boolean;
  nucleusInCell?: boolean;
  minCellArea?: number;
  centralCell?: boolean;
  engine?: InferenceEngineChoice;
  url?: string;
  servedVersion?: string;
  timeout?: number;
  retries?: number;
  json: boolean;
}

/** --engine and the Triton server options, checked together. */
function engineFields(o: SegmentOpts): Pick<SegmentRequest, 'engine' | 'server'> {
  const serverOpts = o.servedVersion !== undefined || o.timeout !== undefined || o.retries !== undefined;
  if (o.engine !== 'triton') {
    if (o.url || serverOpts) throw new CliError('--url, --served-version, --timeout and --retries are for --engine triton', 2);
    return o.engine ? { engine: o.engine } : {};
  }
  if (!o.url) throw new CliError('--engine triton needs --url http://HOST:8000 (the KServe v2 / Triton server) and --model NAME (the served model)', 2);
  return {
    engine: 'triton',
    server: {
      url: o.url, model: o.model, version: o.servedVersion ?? null,
      timeoutMs: o.timeout !== undefined ? Math.round(o.timeout * 1000) : null, retries: o.retries ?? null,
    },
  };
}

/** The inference options given on the command line; absent ones take the model's defaults. */
function segmentOptions(o: SegmentOpts): SegmentOptions | undefined {
  const opts: SegmentOptions = {
    ...(o.tta && o.tta !== 'none' ? { tta: o.tta } : {}),
    ...(o.scaleNorm !== undefined ? { scaleNorm: o.scaleNorm } : {}),
    ...(o.fillHoles !== undefined ? { fillHoles: o.fillHoles } : {}),
    ...(o.nucleusInCell !== undefined ? { nucleusInCell: o.nucleusInCell } : {}),
    ...(o.minCellArea !== undefined ? { minCellArea: o.minCellArea } : {}),
    ...(o.centralCell ? { centralCell: true } : {}),
  };
  return Object.keys(opts).length ? opts : undefined;
}

async function segmentCommand(target: string, o: SegmentOpts): Promise<void> {
  if (!existsSync(target)) throw new CliError(`${target}: no such project file or folder`);
  const isFolder = statSync(target).isDirectory();
  let p: Project | null = null;
  let req: SegmentRequest;
  if (isFolder) {
    if (!o.out) throw new CliError(`${target} is a folder: pass --out DIR for the masks (and --convention gray3|rgb|binary)`, 2);
    req = { model: o.model, threshold: o.threshold ?? 0.5, target: { kind: 'folder', folder: target, out: o.out, convention: o.convention }, options: segmentOptions(o), ...engineFields(o) };
  } else {
    if (o.out) throw new CliError('--out is for segmenting a plain folder; project predictions are stored in the project (export them with `hemaseg export-masks --kind prediction`)', 2);
    p = openForCli(target);
    req = {
      model: o.model,
      threshold: o.threshold ?? p.settings.get().threshold,
      target: { kind: 'project', images: o.images, ...(o.ids ? { imageIds: o.ids } : {}) },
      options: segmentOptions(o),
      ...engineFields(o),
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
      onLog: (message) => {
        bar.done();
        if (!o.json) console.error(message);
      },
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
      console.log(`segmented ${r.segmented} images with ${r.modelRef}${r.engine ? ` on ${r.engine}` : ''}: ${where}, ${r.imagesPerSecond.toFixed(1)} images/s${r.failed.length ? `, ${r.failed.length} failed` : ''}`);
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
  registerFamiliesCommand(program);

  const train = program
    .command('train')
    .description('train a network of a model family (default U-Net) on the ground truth of the train split (validation on val) in the ML worker; the result is a new model version')
    .argument('<project>', 'project file')
    .option('--name <name>', 'model name (the new version becomes NAME@N)');
  // --family, --variant and every family's options, from the registry's descriptions.
  addFamilyOptions(train);
  train
    .option('--epochs <n>', 'maximum epochs (default 50, or unlimited with --minutes)', parseIntOption('epochs', 1))
    .option('--minutes <m>', 'time budget in minutes', parseFloatOption('minutes', 0.01, 100_000))
    .option('--batch <n>', 'batch size (default 8)', parseIntOption('batch', 1, 512))
    .option('--lr <rate>', 'learning rate (default 0.0001; the clip families: their source\'s rate for the network, e.g. 0.005 for LSTM-CNN-En-T)', parseFloatOption('lr', 1e-8, 0.99))
    .option('--optimizer <name>', 'adam (default) | rmsprop (decay 0.9) | sgd (plain, no momentum)', oneOf('optimizer', OPTIMIZERS))
    .option('--patience <n>', 'early stopping patience in validations (epochs, or --validate-every steps) for --stop-rule (default 10; 0 = off)', parseIntOption('patience', 0))
    .option('--validate-every <steps>', 'validate every this many optimisation steps instead of after every epoch (seed 000: 40)', parseIntOption('validate-every', 1))
    .option('--stop-rule <rule>', 'no-improvement (default: --patience validations without a new best) | consecutive-increases (--patience validation-cost increases in a row; seed 000: 100)', oneOf('stop-rule', STOP_RULES))
    .option('--clip-norm <n>', 'clip gradients to this global norm', parseFloatOption('clip-norm', 1e-6, 1e6))
    .option('--class-weights <w,...>', 'loss weight per class (binary: bg,cell; multiclass: bg,cyto,nucleus; multiclass-edge: bg,cyto,nucleus,edge, default 1,1,1,10)', parseWeights)
    .option('--augment <list>', 'flips,rot90,shift=F,zoom=F,shear=RAD, scale=LO-HI, pad=reflect|background, stain/hue/saturation/brightness/contrast/gamma/wb/noise=F, blur=SIGMA; presets none, default, scale, colour, robust (default flips,rot90,shift=0.05,zoom=0.05)', parseAugment)
    .option('--seed <n>', 'random seed (default 1)', parseIntOption('seed', 0))
    .option('--from <model>', 'fine-tune from MODEL[@VERSION] (keeps its architecture)')
    .option('--images <which>', 'all | corrected (only hand-corrected ground truth) | reviewed (only images marked reviewed)', oneOf('images', ['all', 'corrected', 'reviewed'] as const), 'all')
    .option('--resume <run>', 'continue an interrupted or cancelled run from its last checkpoint', parseIntOption('resume', 1))
    .option('--json', 'print the result as JSON', false)
    // Unknown flags reach the action, which names the chosen family's options (family-options.ts).
    .allowUnknownOption()
    .allowExcessArguments()
    .action((path: string, o: TrainOpts, cmd: Command) => {
      refuseUnknownOptions(cmd.args.slice(1), o);
      return trainCommand(path, o);
    });

  program
    .command('segment')
    .description('segment the images of a project (stored as prediction masks) or of a plain folder (PNG masks to --out) in the ML worker')
    .argument('<target>', 'project file, or a folder of images')
    .requiredOption('--model <model>', 'NAME[@VERSION], default, a classical segmenter (e.g. active-contour), a path to an exported model folder or .onnx file, or with --engine triton the served model\'s name')
    .option('--images <which>', 'project images: all | train | val | test | unlabeled', oneOf('images', ['all', ...SPLITS, 'unlabeled'] as const), 'all')
    .option('--ids <ids>', 'only these project image ids (comma-separated)', idList)
    .option('--out <dir>', 'folder target: where to write the masks')
    .option('--convention <name>', 'folder target: gray3 | rgb | binary', oneOf('convention', MASK_CONVENTIONS), 'gray3')
    .option('--threshold <t>', 'binary models: probability threshold (default: project setting, 0.5)', parseFloatOption('threshold', 0.001, 0.999))
    .option('--tta [kind]', 'test-time augmentation: flip (4 passes) or d4 (8: flips and 90° rotations); --tta alone = flip', oneOf('tta', ['none', 'flip', 'd4'] as const))
    .option('--scale-norm', 'two passes: measure the central cell, zoom the image so it has the training scale, segment again (default for models that record their training cell diameter)')
    .option('--no-scale-norm', 'one pass at the image\'s own scale')
    .option('--fill-holes', 'fill background holes inside cells (default for models that record their training cell size)')
    .option('--no-fill-holes', 'keep holes')
    .option('--nucleus-in-cell', 'nucleus specks far smaller than the main nucleus become cytoplasm; nucleus-only specks are dropped (default as --fill-holes)')
    .option('--no-nucleus-in-cell', 'keep nucleus specks')
    .option('--min-cell-area <f>', 'drop cells smaller than this fraction of the image area (default 0.01 for models that record their training cell size, 0 = keep all)', parseFloatOption('min-cell-area', 0, 0.5))
    .option('--central-cell', 'keep only the cell nearest the image centre', false)
    .option('--engine <engine>', 'networks: onnx (ONNX Runtime) | tfjs (TensorFlow.js) | triton (a KServe v2 server, with --url) | auto (default: onnx when it loads, else tfjs)', oneOf('engine', INFERENCE_ENGINES))
    .option('--url <url>', '--engine triton: the server, e.g. http://localhost:8000 (--model then names the served model)')
    .option('--served-version <v>', '--engine triton: model version on the server (default: the server\'s)')
    .option('--timeout <s>', '--engine triton: seconds per request (default 30)', parseFloatOption('timeout', 0.1, 3600))
    .option('--retries <n>', '--engine triton: retries of a failed request (default 3)', parseIntOption('retries', 0, 20))
    .option('--json', 'print the result as JSON', false)
    .action((target: string, o: SegmentOpts) => segmentCommand(target, { ...o, tta: (o.tta as unknown) === true ? 'flip' : o.tta }));

  program
    .command('models')
    .description('list the model versions in a project (and, with --runs, the training runs)')
    .argument('<project>', 'project file')
    .option('--runs', 'list training runs instead', false)
    .option('--make-default <model>', "make NAME[@VERSION] the project's default model (`--model default`); 'shipped' goes back to the shipped one")
    .option('--json', 'print as JSON', false)
    .action((path: string, o: { runs: boolean; json: boolean; makeDefault?: string }) => {
      const p = openForCli(path);
      try {
        printExpectedBackend(o.json);
        if (o.makeDefault !== undefined) {
          let set;
          try {
            set = setProjectDefaultModel(p, o.makeDefault === 'shipped' ? null : o.makeDefault);
          } catch (err) {
            throw new CliError(`${path}: ${(err as Error).message}`);
          }
          if (o.json) return console.log(JSON.stringify({ defaultModel: set?.ref ?? null }, null, 2));
          return console.log(set ? `--model default now means ${set.ref} in ${path}` : `--model default now means the shipped model in ${path}`);
        }
        if (o.runs) {
          const runs = p.runs.list();
          if (o.json) return console.log(JSON.stringify(runs.map((r) => ({ ...r, curves: undefined, epochs: r.curves.length })), null, 2));
          if (!runs.length) return console.log('no training runs');
          for (const r of runs) {
            console.log(`run ${r.id}  ${r.modelName}  ${r.status}${r.resultRef ? ` -> ${r.resultRef}` : ''}  ${r.backend ?? '-'}  started ${r.startedAt}  checkpoint epoch ${r.checkpointEpoch ?? '-'}${r.error ? `\n    ${r.error}` : ''}`);
          }
          return;
        }
        const models = p.models.list();
        if (o.json) return console.log(JSON.stringify(models, null, 2));
        if (!models.length) return console.log('no models yet (train one with `hemaseg train`, or segment with --model default)');
        const rows = models.map((m) => [
          m.ref, m.family, m.task, m.arch, m.paramCount === null ? '-' : m.paramCount.toLocaleString('en-US'), m.backend ?? '-',
          m.trainingSeconds != null ? `${Math.round(m.trainingSeconds)} s` : '-', String(m.trainImages),
          m.metrics.valLoss !== undefined ? m.metrics.valLoss.toFixed(4) : '-',
          Object.entries(m.metrics).filter(([k]) => k.startsWith('dice.')).map(([k, v]) => `${k.slice(5)} ${v.toFixed(3)}`).join(' ') || '-',
          m.createdAt.slice(0, 16).replace('T', ' '), m.parentRef ?? '-',
        ]);
        const head = ['MODEL', 'FAMILY', 'TASK', 'ARCH', 'PARAMS', 'BACKEND', 'TRAINED IN', 'TRAIN', 'VAL LOSS', 'VAL DICE', 'CREATED', 'PARENT'];
        const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
        for (const r of [head, ...rows]) console.log(r.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd());
      } finally {
        p.close();
      }
    });

  program
    .command('export-model')
    .description('write a model version to a folder: tfjs (model.json + weights.bin + metadata.json), onnx (model.onnx), or a Triton model repository')
    .argument('<project>', 'project file')
    .argument('<model>', 'NAME[@VERSION] (default: newest version)')
    .argument('<dir>', 'output folder')
    .option('--format <format>', 'tfjs | onnx | triton (default tfjs)', oneOf('format', ['tfjs', 'onnx', 'triton'] as const), 'tfjs')
    .option('--triton-name <name>', 'triton: model name in the repository (default: the model name)')
    .option('--instances <n>', 'triton: model instances per server (default 2)', parseIntOption('instances', 1, 64))
    .option('--max-batch <n>', 'triton: max_batch_size (default 32)', parseIntOption('max-batch', 1, 1024))
    .option('--json', 'print as JSON', false)
    .action(async (path: string, ref: string, dir: string, o: { format: 'tfjs' | 'onnx' | 'triton'; tritonName?: string; instances?: number; maxBatch?: number; json: boolean }) => {
      const p = openForCli(path);
      try {
        if (o.format === 'tfjs' && (o.tritonName || o.instances || o.maxBatch)) throw new CliError('--triton-name, --instances and --max-batch are for --format triton', 2);
        printExpectedBackend(o.json);
        const repo = p.models;
        const info = repo.resolve(ref);
        const stored = repo.load(info.id)!;
        let files: string[];
        if (o.format === 'tfjs') files = writeModelFolder(dir, stored);
        else {
          // Loaded on demand: protobuf encoding is needed by this format only.
          const { writeOnnxFolder, writeTritonRepository } = await import('../../ml/onnx/export-onnx');
          const { appVersion } = await import('../../app-version');
          const src = { name: info.name, version: info.version, modelJson: stored.modelJson, weights: stored.weights, exportedBy: `HemaSeg ${appVersion()}` };
          files = o.format === 'onnx'
            ? writeOnnxFolder(dir, src)
            : writeTritonRepository(dir, src, { modelName: o.tritonName, instances: o.instances, maxBatchSize: o.maxBatch });
        }
        if (o.json) console.log(JSON.stringify({ model: info.ref, format: o.format, files }, null, 2));
        else console.log(`exported ${info.ref} as ${o.format} to ${dir} (${files.map((f) => relative(dir, f)).join(', ')})`);
      } catch (err) {
        if (err instanceof CliError) throw err;
        if (err instanceof ModelRefError) throw new CliError(`${path}: ${err.message}`);
        throw new CliError(`cannot export ${ref} from ${path}: ${(err as Error).message}`);
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
        else console.log(`imported ${dir} as ${r.model.ref} (${r.model.family}, ${r.model.task}, ${r.model.arch})`);
      } catch (err) {
        if (err instanceof ModelFileError || err instanceof ModelRefError) throw new CliError(err.message);
        throw new CliError((err as Error).message);
      } finally {
        p.close();
      }
    });
}
