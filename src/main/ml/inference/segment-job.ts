// Batch segmentation inside the worker process: a project (all images, a split, the
// images without ground truth, or explicit ids) or a plain folder (masks written as PNG in
// a convention). A failure on one image is reported and the batch goes on.
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
import { ModelsRepo } from '../registry/models-repo';
import { loadNetwork, type SegmentationNetwork } from '../training/network';
import type { JobIo, SegmentJobResult } from '../worker/protocol';
import { Predictor } from './predictor';
import { findSegmenter, type ImageSegmenter } from './segmenters';

const CHUNK = 8;

interface Resolved {
  ref: string;
  modelId: number | null;
  kind: MaskKind;
  task: ModelTask | null;
  run(images: RgbImage[], threshold: number): Promise<LabelMap[]>;
  dispose(): void;
}

function fromNetwork(net: SegmentationNetwork, ref: string, modelId: number | null): Resolved {
  const predictor = new Predictor(net, net.config.task);
  return {
    ref, modelId, kind: 'prediction', task: net.config.task,
    run: async (images, threshold) => predictor.segment(images, { threshold }),
    dispose: () => net.dispose(),
  };
}

function fromSegmenter(s: ImageSegmenter): Resolved {
  return {
    ref: s.source, modelId: null, kind: s.kind, task: null,
    run: async (images, threshold) => Promise.all(images.map((img) => s.segment(img, { threshold }))),
    dispose: () => undefined,
  };
}

function fromRegistry(project: Project, info: ModelInfo): Resolved {
  const stored = new ModelsRepo(project.db).load(info.id);
  if (!stored) throw new Error(`model ${info.ref} vanished from the project`);
  return fromNetwork(loadNetwork(stored.modelJson, stored.weights), info.ref, info.id);
}

function resolveModel(project: Project | null, ref: string): Resolved {
  const seg = findSegmenter(ref);
  if (seg) return fromSegmenter(seg);
  const isPath = /[\\/]/.test(ref) && existsSync(ref) && statSync(ref).isDirectory();
  if (isPath && project) {
    // An exported model used on a project joins its registry, so its masks have a model row.
    return fromRegistry(project, importModelFolder(project, ref).model);
  }
  if (isPath) {
    const f = readModelFolder(ref);
    return fromNetwork(loadNetwork(f.modelJson, f.weights), f.metadata?.ref ?? basename(resolve(ref)), null);
  }
  if (project) {
    return fromRegistry(project, resolveModelRef(project, ref));
  }
  if (ref === DEFAULT_MODEL_NAME) {
    const f = readDefaultModel();
    return fromNetwork(loadNetwork(f.modelJson, f.weights), `${DEFAULT_MODEL_NAME}@${f.metadata?.version ?? 1}`, null);
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
  save(mask: LabelMap): Promise<void>;
  imageId: number | null;
}

export async function runSegmentJob(projectPath: string | null, request: SegmentRequest, author: string, io: JobIo): Promise<SegmentJobResult> {
  const project = projectPath ? Project.open(projectPath) : null;
  let model: Resolved | null = null;
  try {
    const target = request.target;
    if (target.kind === 'project' && !project) throw new Error('a project target needs a project');
    model = resolveModel(project, request.model);
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
        save: async (mask) => {
          p.masks.append({
            imageId: img.id, kind: m.kind, source: m.ref, author, mask, modelId: m.modelId,
            threshold: m.task === 'binary' ? threshold : null,
            note: m.task === 'multiclass-edge' ? 'edges folded into cells; instances split at predicted edges' : null,
            backend: m.task === null ? null : io.backend.backend,
          });
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

    for (let start = 0; start < items.length; start += CHUNK) {
      await new Promise((r) => setImmediate(r));
      if (io.cancelled() || io.orphaned()) {
        cancelled = true;
        break;
      }
      const chunk = items.slice(start, start + CHUNK);
      const loaded: { item: Item; image: RgbImage }[] = [];
      for (const item of chunk) {
        try {
          loaded.push({ item, image: await item.load() });
        } catch (err) {
          report(item.label, (err as Error).message);
        }
      }
      let masks: (LabelMap | Error)[];
      try {
        masks = await m.run(loaded.map((l) => l.image), threshold);
      } catch {
        // Find the culprit: run the chunk one image at a time.
        masks = [];
        for (const l of loaded) {
          try {
            masks.push((await m.run([l.image], threshold))[0]);
          } catch (err) {
            masks.push(err as Error);
          }
        }
      }
      for (let k = 0; k < loaded.length; k++) {
        const { item } = loaded[k];
        const mask = masks[k];
        try {
          if (mask instanceof Error) throw mask;
          await item.save(mask);
          segmented++;
          if (item.imageId !== null) imageIds.push(item.imageId);
          report(item.label, null);
        } catch (err) {
          report(item.label, (err as Error).message);
        }
      }
    }
    return {
      model: m.ref, modelRef: m.ref, kind: m.kind, modelId: m.modelId, backend: io.backend.backend, segmented, failed,
      imagesPerSecond: Math.round(ips() * 100) / 100, imageIds, cancelled,
    };
  } finally {
    model?.dispose();
    project?.close();
  }
}
