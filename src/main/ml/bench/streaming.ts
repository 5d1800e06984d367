// Streaming speed of the clip families (`hemaseg bench`): frames per second of a sequence
// segmented frame by frame with the recurrent state carried (ClipNetwork.stream: the
// LSTM-CNN's step() and the probabilities read back), at 128 x 128 by default. The issue's
// target: at least 20 frames/s for the LSTM-CNN on 2 cores.
import { lstmCnnFamily } from '../families/lstm-cnn/index';
import { lstmCnnClipTraining } from '../families/lstm-cnn/network/clip-family';
import type { LstmCnnConfig } from '../families/lstm-cnn/config';

export const STREAMING_TARGET_FPS = 20;

export interface StreamingTime {
  variant: string;
  params: number;
  size: number;
  frames: number;
  /** Median ms per frame over the timed frames. */
  msPerFrame: number;
  framesPerSecond: number;
}

/** The LSTM-CNN variants (the recurrent ones: the CNNs are per-frame and faster). */
export const STREAMING_VARIANTS = lstmCnnFamily.variants.filter((v) => v.config.recurrence === 'lstm').map((v) => v.name);

export async function runStreamingBench(o: { size?: number; frames?: number; variants?: readonly string[] } = {}): Promise<StreamingTime[]> {
  const size = o.size ?? 128;
  const frames = o.frames ?? 30;
  const out: StreamingTime[] = [];
  for (const name of o.variants ?? STREAMING_VARIANTS) {
    const v = lstmCnnFamily.variants.find((x) => x.name === name);
    if (!v) throw new Error(`unknown LSTM-CNN variant '${name}'`);
    const config: LstmCnnConfig = lstmCnnFamily.resolve({ ...v.config, inputSize: size }, 'new');
    const net = lstmCnnClipTraining.create(config, 1, { learningRate: 1e-3 });
    const stream = net.stream(size, size);
    try {
      // A moving pattern, so no kernel sees the same input twice.
      const frame = (k: number): Float32Array => Float32Array.from({ length: size * size }, (_, i) => 0.25 + 0.1 * Math.sin((i + 3 * k) * 0.05));
      for (let k = 0; k < 3; k++) stream.next(frame(k)); // warm-up: kernels, caches
      const ms: number[] = [];
      for (let k = 0; k < frames; k++) {
        const f = frame(k + 3);
        const t0 = performance.now();
        stream.next(f);
        ms.push(performance.now() - t0);
      }
      ms.sort((a, b) => a - b);
      const median = ms[Math.floor(ms.length / 2)];
      out.push({ variant: name, params: net.paramCount(), size, frames, msPerFrame: Math.round(median * 10) / 10, framesPerSecond: Math.round((1000 / median) * 10) / 10 });
    } finally {
      stream.dispose();
      net.dispose();
    }
  }
  return out;
}

export function formatStreaming(rows: readonly StreamingTime[]): string {
  if (!rows.length) return '';
  const lines = [`streaming segmentation (LSTM-CNN, state carried frame to frame, ${rows[0].size}x${rows[0].size}, median of ${rows[0].frames} frames):`];
  for (const r of rows) {
    lines.push(`  ${r.variant.padEnd(20)} ${String(r.params).padStart(7)} params ${r.msPerFrame.toFixed(1).padStart(7)} ms/frame ${r.framesPerSecond.toFixed(1).padStart(6)} frames/s  target >= ${STREAMING_TARGET_FPS}: ${r.framesPerSecond >= STREAMING_TARGET_FPS ? 'met' : 'MISSED'}`);
  }
  return lines.join('\n');
}
