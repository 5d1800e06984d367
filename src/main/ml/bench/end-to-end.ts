// End-to-end batch segmentation speed: a generated project of N images (a few dozen distinct
// synthetic smears under N names, stored as BMP at 120 px like wbc-dataset1 and as PNG at
// larger sizes) segmented by the shipped default model through the real job: decode, resize,
// network, post-processing, one transaction per batch. Runs the job in this process (the
// worker process adds only its start-up).
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encode as encodeBmp } from 'bmp-ts';
import type { DifficultyClass } from '../../../shared/domain';
import type { InferenceEngineChoice } from '../../../shared/ml';
import { encodeRgbPng } from '../../imaging/encode-image';
import { Project } from '../../project/project';
import { generateSmear } from '../../synth/smear/generate-smear';
import { initBackend } from '../backend/initBackend';
import { runSegmentJob } from '../inference/segment-job';
import { ensureDefaultModel } from '../registry/default-model';

export interface EndToEndResult {
  size: number;
  images: number;
  format: 'bmp' | 'png';
  engine: string;
  seconds: number;
  imagesPerSecond: number;
  failed: number;
  /** Peak resident memory of this process so far (MB). */
  peakRssMb: number;
}

function bmpBytes(rgb: Uint8Array, w: number, h: number): Uint8Array {
  const abgr = Buffer.alloc(w * h * 4);
  for (let i = 0; i < w * h; i++) {
    abgr[i * 4 + 1] = rgb[i * 3 + 2];
    abgr[i * 4 + 2] = rgb[i * 3 + 1];
    abgr[i * 4 + 3] = rgb[i * 3];
  }
  return new Uint8Array(encodeBmp({ data: abgr, width: w, height: h, bitPP: 24 }).data);
}

/** A project file with `count` images of `size` px (made from `unique` distinct smears). */
export async function makeBenchProject(dir: string, size: number, count: number, unique = 40): Promise<string> {
  const path = join(dir, `bench-${size}.hemaseg`);
  const p = Project.open(path, { create: true });
  try {
    const format = size <= 128 ? 'bmp' : 'png';
    const files: Uint8Array[] = [];
    for (let i = 0; i < Math.min(unique, count); i++) {
      const s = generateSmear({ seed: 7001 + i, size, difficulty: ((i % 8) + 1) as DifficultyClass, palette: i % 2 ? 'purple' : 'yellow' });
      files.push(format === 'bmp' ? bmpBytes(s.image.data, size, size) : await encodeRgbPng(s.image));
    }
    p.transaction(() => {
      for (let i = 0; i < count; i++) {
        const bytes = files[i % files.length];
        p.images.insert({
          hash: createHash('sha256').update(bytes).digest('hex'), name: `img-${String(i).padStart(5, '0')}.${format}`, originalPath: '',
          width: size, height: size, format, bytes, thumbnail: null, split: 'test',
        });
      }
    });
    ensureDefaultModel(p);
  } finally {
    p.close();
  }
  return path;
}

export async function runEndToEnd(opts: { size: number; count: number; engine: InferenceEngineChoice; keep?: boolean }): Promise<EndToEndResult> {
  const backend = await initBackend();
  const dir = mkdtempSync(join(tmpdir(), 'hemaseg-bench-'));
  try {
    const path = await makeBenchProject(dir, opts.size, opts.count);
    const t0 = performance.now();
    const r = await runSegmentJob(path, { model: 'default', threshold: 0.5, target: { kind: 'project', images: 'all' }, engine: opts.engine }, 'bench', {
      send: () => undefined,
      cancelled: () => false,
      orphaned: () => false,
      backend: { backend: backend.backend, detail: backend.detail },
    });
    const seconds = (performance.now() - t0) / 1000;
    return {
      size: opts.size, images: opts.count, format: opts.size <= 128 ? 'bmp' : 'png', engine: r.engine ?? '?',
      seconds: Math.round(seconds * 100) / 100, imagesPerSecond: Math.round((r.segmented / seconds) * 10) / 10, failed: r.failed.length,
      peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    };
  } finally {
    if (!opts.keep) rmSync(dir, { recursive: true, force: true });
  }
}
