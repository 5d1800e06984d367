// Batch segmentation inside the worker process: a project (all images, a split, the
// images without ground truth, or explicit ids) or a plain folder (masks written as PNG in
// a convention). A failure on one image is reported and the batch goes on. Networks run on
// the engine the request names (engine-choice.ts: ONNX Runtime by default, TensorFlow.js, a
// KServe v2 server); batches flow through pipeline.ts.
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { basename, extname, join, relative, resolve } from 'node:path';
import type { ImageSummary, LabelMap, MaskKind, ModelTask, RgbImage } from '../../../shared/domain';
import type { ModelInfo, SegmentRequest } from '../../../shared/ml';
import { decodeImage } from '../../imaging/decode-image';
import { encodeRgbPng } from '../../imaging/encode-image';
import { maskToImage } from '../../imaging/mask-convention';
import { Project } from '../../project/project';
import { scanFolder } from '../../transfer/scan-folder';
import { readDefaultModel, resolveModelRef, DEFAULT_MODEL_NAME } from '../registry/default-model';
import { importModelFolder, readModelFolder } from '../registry/model-folder';
import { loadNetwork } from '../training/network';
import type { JobIo, SegmentJobResult } from '../worker/protocol';
import { parseModelFile } from '../families/model-file';
import type { NetConfig } from '../training/network';
import { OrtThreadEngine } from '../onnx/ort-thread-engine';
import { engineForNetwork, engineForServer, isFatalEngineError, type StoredNetwork } from './engine-choice';
import { runPipeline } from './pipeline';
import { Predictor, predictorSpec } from './predictor';
import { TfjsEngine } from './tfjs-engine';
import { runStreamingSegment } from './stream-segment';
import { clipModelOf } from './clip-segment-check';
import { familyOf } from '../families/registry';
import { findSegmenter, type ImageSegmenter } from './segmenters';
import { splitPrediction, type PredictionOutput } from './prediction-output';
import type { PredictionConfidence, SegmentOptions } from '../../../shared/ml';

/** Images per engine call and per committed transaction. */
const CHUNK = 16;

interface Resolved {
  ref: string;
  modelId: number | null;
  kind: MaskKind;
  task: ModelTask | null;
  /** Engine stored with each prediction (masks.backend): 'onnxruntime-cpu', 'triton', the tfjs backend; null for classical segmenters. */
  engine: string | null;
  /** Said in each mask's note (e.g. the server that computed it). */
  note: string | null;
  run(images: RgbImage[], threshold: number): Promise<PredictionOutput[]>;
  dispose(): void;
}

/** Engine options of a job and what the tfjs engine would be called (the worker's TF backend). */
interface EngineContext {
  request: SegmentRequest;
  tfjsBackend: string;
  /** Notes for the job's log (e.g. why 'auto' fell back to TensorFlow.js). */
  log(message: string): void;
}

/** A stored model's config, as its family reads it (the predictor needs its input settings). */
function storedConfig(modelJson: string): NetConfig {
  return parseModelFile(modelJson).config;
}

function predictorResolved(predictor: Predictor, ref: string, modelId: number | null, engine: string, note: string | null, options: SegmentOptions = {}): Resolved {
  return {
    ref, modelId, kind: 'prediction', task: predictor.spec.task, engine, note,
    run: async (images, threshold) => predictor.predict(images, { threshold, ...options }),
    dispose: () => predictor.dispose(),
  };
}

/** A stored network on the engine the request asks for (ONNX Runtime by default when it loads). */
async function fromStored(stored: StoredNetwork, ref: string, modelId: number | null, ctx: EngineContext): Promise<Resolved> {
  // A clip family read image by image would take a batch of unrelated images for a sequence.
  const family = parseModelFile(stored.modelJson).family;
  if (familyOf(family).inputKind === 'clip') throw new Error(`${ref} is a ${family} model: it segments the image sequences of a project frame by frame (stream-segment.ts), not single images or a folder`);
  if (ctx.request.engine === 'triton') return fromServer(ref, storedConfig(stored.modelJson), ctx);
  const choice = await engineForNetwork(ctx.request.engine, stored, async () => {
    const net = await loadNetwork(stored.modelJson, stored.weights);
    return { engine: new TfjsEngine(net, ctx.tfjsBackend), storedName: ctx.tfjsBackend };
  });
  if (choice.fallback) ctx.log(choice.fallback);
  return predictorResolved(new Predictor(choice.engine, predictorSpec(storedConfig(stored.modelJson))), ref, modelId, choice.storedName, null, ctx.request.options);
}

/**
 * A KServe v2 / Triton server computes the probabilities; pre/post-processing follow the
 * project model of the same name when there is one (else the served signature decides).
 */
async function fromServer(localRef: string | null, local: NetConfig | null, ctx: EngineContext): Promise<Resolved> {
  const target = ctx.request.server;
  if (!target) throw new Error('--engine triton needs --url (the server) and --model (the served model name)');
  const expect = local ? { task: local.task, channels: local.task === 'binary' ? 1 : local.task === 'multiclass' ? 3 : 4 } : undefined;
  const { engine } = await engineForServer(target, expect);
  const sig = engine.signature;
  const task: ModelTask = sig.channels === 1 ? 'binary' : sig.channels === 3 ? 'multiclass' : 'multiclass-edge';
  const spec = local ? predictorSpec(local) : predictorSpec({ task, inputSize: sig.fixedSize ?? 128 });
  const version = target.version ?? sig.version;
  const ref = `triton:${target.model}${version ? `@${version}` : ''}`;
  const note = `computed by model '${target.model}'${version ? ` version ${version}` : ''} on ${target.url} (KServe v2)${localRef ? `; pre/post-processing of ${localRef}` : ''}`;
  return predictorResolved(new Predictor(engine, spec), ref, null, 'triton', note, ctx.request.options);
}

/** An .onnx file (exported by HemaSeg or from elsewhere, checked before use) on ONNX Runtime. */
async function fromOnnxFile(file: string, ctx: EngineContext): Promise<Resolved> {
  if (ctx.request.engine === 'tfjs' || ctx.request.engine === 'triton') throw new Error(`${file}: an ONNX file runs on ONNX Runtime (--engine onnx), not --engine ${ctx.request.engine}`);
  const engine = await OrtThreadEngine.fromFile(file);
  const ref = engine.meta.modelRef ? `${engine.meta.modelRef}.onnx` : basename(file);
  return predictorResolved(new Predictor(engine, predictorSpec(engine.meta.config)), ref, null, engine.name, `ONNX file ${basename(file)}`, ctx.request.options);
}

function fromSegmenter(s: ImageSegmenter): Resolved {
  return {
    ref: s.source, modelId: null, kind: s.kind, task: null, engine: null, note: null,
    run: async (images, threshold) => Promise.all(images.map((img) => s.segment(img, { threshold }))),
    dispose: () => undefined,
  };
}

function fromRegistry(project: Project, info: ModelInfo, ctx: EngineContext): Promise<Resolved> {
  const stored = project.models.load(info.id);
  if (!stored) throw new Error(`model ${info.ref} vanished from the project`);
  return fromStored({ name: info.name, version: info.version, modelJson: stored.modelJson, weights: stored.weights }, info.ref, info.id, ctx);
}

async function resolveModel(project: Project | null, ref: string, ctx: EngineContext): Promise<Resolved> {
  const seg = findSegmenter(ref);
  if (seg) {
    if (ctx.request.engine && ctx.request.engine !== 'auto') throw new Error(`--engine ${ctx.request.engine} is for networks; '${ref}' is a classical segmenter`);
    return fromSegmenter(seg);
  }
  if (ctx.request.engine === 'triton') {
    // The served model may or may not exist in this project's registry; its config sets pre/post-processing when it does.
    let local: { ref: string; config: NetConfig } | null = null;
    if (project) {
      try {
        const info = resolveModelRef(project, ref);
        const stored = project.models.load(info.id);
        if (stored) local = { ref: info.ref, config: storedConfig(stored.modelJson) };
      } catch {
        local = null;
      }
    }
    return fromServer(local?.ref ?? null, local?.config ?? null, ctx);
  }
  if (/\.onnx$/i.test(ref) && existsSync(ref) && statSync(ref).isFile()) return fromOnnxFile(ref, ctx);
  const isPath = /[\\/]/.test(ref) && existsSync(ref) && statSync(ref).isDirectory();
  if (isPath && project) {
    // An exported model used on a project joins its registry, so its masks have a model row.
    return fromRegistry(project, importModelFolder(project, ref).model, ctx);
  }
  if (isPath) {
    const f = readModelFolder(ref);
    const r = f.metadata?.ref ?? basename(resolve(ref));
    return fromStored({ name: f.metadata?.name ?? basename(resolve(ref)), version: f.metadata?.version ?? 1, modelJson: f.modelJson, weights: f.weights }, r, null, ctx);
  }
  if (project) {
    return fromRegistry(project, resolveModelRef(project, ref), ctx);
  }
  if (ref === DEFAULT_MODEL_NAME) {
    const f = readDefaultModel();
    const version = f.metadata?.version ?? 1;
    return fromStored({ name: DEFAULT_MODEL_NAME, version, modelJson: f.modelJson, weights: f.weights }, `${DEFAULT_MODEL_NAME}@${version}`, null, ctx);
  }
  throw new Error(`'${ref}': a plain folder has no model registry; use --model default, a path to an exported model folder, or segment a project`);
}

function projectTargets(project: Project, target: Extract<SegmentRequest['target'], { kind: 'project' }>): ImageSummary[] {
  if (target.imageIds?.length) return project.images.list({ ids: target.imageIds });
  if (target.images === 'all') return project.images.list();
  if (target.images === 'unlabeled') return project.images.list().filter((i) => !i.maskKinds.includes('ground-truth'));
  return project.images.list({ split: [target.images] });
}

interface Item {
  label: string;
  load(): Promise<RgbImage>;
  save(mask: LabelMap, confidence: PredictionConfidence | null): Promise<void>;
  /** Project targets: a synchronous store, so a batch commits in one transaction. */
  store?(mask: LabelMap, confidence: PredictionConfidence | null): void;
  imageId: number | null;
}

export async function runSegmentJob(projectPath: string | null, request: SegmentRequest, author: string, io: JobIo): Promise<SegmentJobResult> {
  const project = projectPath ? Project.open(projectPath) : null;
  let model: Resolved | null = null;
  try {
    const target = request.target;
    if (target.kind === 'project' && !project) throw new Error('a project target needs a project');
    // A clip family (time-lapse) streams each sequence frame by frame (stream-segment.ts).
    const clipModel = project ? clipModelOf(project, request.model) : null;
    if (project && clipModel) return await runStreamingSegment(project, clipModel, request, author, io);
    model = await resolveModel(project, request.model, {
      request,
      tfjsBackend: io.backend.backend,
      log: (message) => io.send({ type: 'log', message }),
    });
    const m = model;
    const threshold = request.threshold;
    let items: Item[];
    if (target.kind === 'project') {
      const p = project as Project;
      items = projectTargets(p, target).map((img) => ({
        label: img.name,
        imageId: img.id,
        load: async () => {
          const stored = p.images.bytes(img.id);
          if (!stored) throw new Error('image missing from the project');
          return (await decodeImage(stored.bytes, stored.name)).image;
        },
        store: (mask, confidence) => {
          const notes = [m.task === 'multiclass-edge' ? 'edges folded into cells; instances split at predicted edges' : null, m.note].filter(Boolean);
          p.masks.append({
            imageId: img.id, kind: m.kind, source: m.ref, author, mask, modelId: m.modelId,
            threshold: m.task === 'binary' ? threshold : null,
            note: notes.length ? notes.join('; ') : null,
            backend: m.engine,
            confidence: m.kind === 'prediction' ? confidence : null,
          });
        },
        save: async () => {
          throw new Error('project images are stored by batch');
        },
      }));
    } else {
      const folder = resolve(target.folder);
      const out = resolve(target.out);
      if (!existsSync(folder) || !statSync(folder).isDirectory()) throw new Error(`${target.folder}: no such folder`);
      if (out === folder) throw new Error(`${target.out}: the output folder must differ from the image folder (masks would overwrite images)`);
      mkdirSync(out, { recursive: true });
      const taken = new Set<string>();
      // Masks lying beside their images (001.png next to 001.bmp, x_mask.png) are not inputs.
      items = scanFolder(folder).items.map((it) => {
        const rel = relative(folder, it.image);
        let stem = basename(it.image, extname(it.image));
        if (taken.has(stem)) stem = `${stem}${extname(it.image).replace('.', '_')}`;
        taken.add(stem);
        return {
          label: rel,
          imageId: null,
          load: async () => (await decodeImage(new Uint8Array(readFileSync(it.image)), rel)).image,
          save: async (mask) => {
            const png = await encodeRgbPng(maskToImage(mask, target.convention));
            const file = join(out, `${stem}.png`);
            writeFileSync(`${file}.tmp`, png);
            renameSync(`${file}.tmp`, file);
          },
        };
      });
    }

    const failed: { file: string; reason: string }[] = [];
    const imageIds: number[] = [];
    let segmented = 0;
    let done = 0;
    let cancelled = false;
    const t0 = performance.now();
    const ips = (): number => (done ? done / Math.max(1e-3, (performance.now() - t0) / 1000) : 0);
    const report = (file: string, error: string | null): void => {
      done++;
      if (error) failed.push({ file, reason: error });
      io.send({ type: 'segment-progress', done, total: items.length, file, imagesPerSecond: ips(), error });
    };

    // Decoding, the network and storing overlap across batches (pipeline.ts); each batch's
    // results land in one transaction, so a batch is stored completely or not at all.
    const p = project;
    const { stopped } = await runPipeline<Item, PredictionOutput>({
      items,
      batchSize: CHUNK,
      depth: 2,
      segment: (images) => m.run(images, threshold),
      isFatal: isFatalEngineError,
      shouldStop: () => io.cancelled() || io.orphaned(),
      commit: async (results) => {
        const outs = results.map((r) => splitPrediction(r.result));
        if (p && target.kind === 'project') {
          p.transaction(() => results.forEach((r, k) => r.item.store?.(outs[k].mask, outs[k].confidence)));
          return;
        }
        return Promise.all(results.map(async (r, k) => {
          try {
            await r.item.save(outs[k].mask, outs[k].confidence);
            return null;
          } catch (err) {
            return (err as Error).message;
          }
        }));
      },
      report: (item, error) => {
        if (!error) {
          segmented++;
          if (item.imageId !== null) imageIds.push(item.imageId);
        }
        report(item.label, error);
      },
    });
    cancelled = stopped;
    return {
      model: m.ref, modelRef: m.ref, kind: m.kind, modelId: m.modelId, backend: io.backend.backend, engine: m.engine, segmented, failed,
      imagesPerSecond: Math.round(ips() * 100) / 100, imageIds, cancelled,
    };
  } finally {
    model?.dispose();
    project?.close();
  }
}
