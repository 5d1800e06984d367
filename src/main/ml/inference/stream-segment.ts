// Streaming segmentation of image sequences by a clip family (worker side): each sequence is
// run frame by frame from its first frame with the recurrent state carried (ClipNetwork.stream,
// the LSTM-CNN's step(); no window is ever recomputed), and every targeted frame gets a
// prediction stored like an image prediction. Images that are not frames of a sequence have no
// past to carry and are refused with the reason.
import type { ModelInfo, SegmentRequest } from '../../../shared/ml';
import type { ModelTask } from '../../../shared/domain';
import type { Project } from '../../project/project';
import { familyOf } from '../families/registry';
import { notAFrameReason } from './clip-segment-check';
import type { ClipNetwork } from '../training/clip/clip-seam';
import { decodeFrame } from '../training/clip/clip-data';
import type { JobIo, SegmentJobResult } from '../worker/protocol';
import { predictionConfidence } from './confidence';
import { labelsFromProbs } from './postprocess';

interface Target {
  imageId: number;
  name: string;
}

function targets(project: Project, target: Extract<SegmentRequest['target'], { kind: 'project' }>): Target[] {
  const list = target.imageIds?.length
    ? project.images.list({ ids: target.imageIds })
    : target.images === 'all'
      ? project.images.list()
      : target.images === 'unlabeled'
        ? project.images.list().filter((i) => !i.maskKinds.includes('ground-truth'))
        : project.images.list({ split: [target.images] });
  return list.map((i) => ({ imageId: i.id, name: i.name }));
}

export interface StreamOptions {
  /** Build the clip network of a stored model (the family's clipTraining().load). */
  load?(modelJson: string, weights: Uint8Array): Promise<ClipNetwork>;
}

export async function runStreamingSegment(project: Project, info: ModelInfo, request: SegmentRequest, author: string, io: JobIo, opts: StreamOptions = {}): Promise<SegmentJobResult> {
  const target = request.target;
  if (target.kind !== 'project') throw new Error(`${info.ref} is a ${info.family} model: it segments the sequences of a project`);
  const stored = project.models.load(info.id);
  if (!stored) throw new Error(`model ${info.ref} vanished from the project`);
  const family = familyOf(info.family);
  if (!family.clipTraining) throw new Error(`the ${family.id} family has no streaming inference`);
  const ct = await family.clipTraining();
  const net = opts.load ? await opts.load(stored.modelJson, stored.weights) : await ct.load(stored.modelJson, stored.weights, { learningRate: 1e-3 });
  const failed: { file: string; reason: string }[] = [];
  const imageIds: number[] = [];
  const task = net.config.task as ModelTask;
  let done = 0;
  let cancelled = false;
  const t0 = performance.now();
  let framesRun = 0;
  const fps = (): number => (framesRun ? framesRun / Math.max(1e-3, (performance.now() - t0) / 1000) : 0);
  try {
    const wanted = targets(project, target);
    // Group the targets by sequence; the rest are single images.
    const bySeq = new Map<number, Map<number, Target>>();
    const loose: Target[] = [];
    for (const t of wanted) {
      const f = project.sequences.frameOf(t.imageId);
      if (!f) loose.push(t);
      else bySeq.set(f.sequenceId, (bySeq.get(f.sequenceId) ?? new Map<number, Target>()).set(t.imageId, t));
    }
    const total = wanted.length;
    const report = (file: string, error: string | null): void => {
      done++;
      if (error) failed.push({ file, reason: error });
      io.send({ type: 'segment-progress', done, total, file, imagesPerSecond: fps(), error });
    };
    for (const t of loose) report(t.name, notAFrameReason(info.family));
    if (bySeq.size === 0) throw new Error(`none of the ${wanted.length} image(s) is a frame of a sequence; ${notAFrameReason(info.family)}`);

    outer: for (const [sequenceId, want] of bySeq) {
      const frameIds = project.sequences.frameIds(sequenceId);
      // Frames after the last targeted one are not needed: the state only flows forward.
      let last = -1;
      frameIds.forEach((id, k) => {
        if (want.has(id)) last = k;
      });
      let stream: ReturnType<ClipNetwork['stream']> | null = null;
      let size: { w: number; h: number } | null = null;
      const pending: { imageId: number; name: string; probs: Float32Array; w: number; h: number }[] = [];
      const flush = (): void => {
        if (!pending.length) return;
        const batch = pending.splice(0);
        project.transaction(() => {
          for (const b of batch) {
            const mask = labelsFromProbs(b.probs, net.channels, b.w, b.h, { task, threshold: request.threshold });
            project.masks.append({
              imageId: b.imageId, kind: 'prediction', source: info.ref, author, mask, modelId: info.id,
              threshold: task === 'binary' ? request.threshold : null,
              note: `streamed frame by frame through the sequence (state carried from its first frame)`,
              backend: io.backend.backend, confidence: predictionConfidence(b.probs, net.channels, mask, null),
            });
          }
        });
        for (const b of batch) {
          imageIds.push(b.imageId);
          report(b.name, null);
        }
      };
      try {
        for (let k = 0; k <= last; k++) {
          await new Promise<void>((r) => setImmediate(r));
          if (io.cancelled() || io.orphaned()) {
            cancelled = true;
            break outer;
          }
          const bytes = project.images.bytes(frameIds[k]);
          if (!bytes) throw new Error(`frame ${k} (image ${frameIds[k]}) is missing from the project`);
          const f = await decodeFrame(bytes.bytes, bytes.name, net.config.inChannels);
          if (!size) {
            if (f.w % net.sizeMultiple || f.h % net.sizeMultiple) throw new Error(`frames are ${f.w}x${f.h}; a ${info.family} model needs sides that are multiples of ${net.sizeMultiple}`);
            size = { w: f.w, h: f.h };
            stream = net.stream(f.h, f.w);
          } else if (f.w !== size.w || f.h !== size.h) {
            throw new Error(`frame ${k} is ${f.w}x${f.h}, the sequence's first frame ${size.w}x${size.h}`);
          }
          const probs = stream!.next(f.data);
          framesRun++;
          const t = want.get(frameIds[k]);
          if (t) pending.push({ imageId: t.imageId, name: t.name, probs, w: f.w, h: f.h });
          if (pending.length >= 16) flush();
        }
        flush();
      } catch (err) {
        // One unreadable sequence fails its remaining targets; the other sequences go on.
        flush();
        const reason = (err as Error).message;
        for (const t of want.values()) if (!imageIds.includes(t.imageId)) report(t.name, reason);
      } finally {
        stream?.dispose();
      }
    }
    return {
      model: info.ref, modelRef: info.ref, kind: 'prediction', modelId: info.id, backend: io.backend.backend, engine: io.backend.backend,
      segmented: imageIds.length, failed, imagesPerSecond: Math.round(fps() * 100) / 100, imageIds, cancelled,
    };
  } finally {
    net.dispose();
  }
}
