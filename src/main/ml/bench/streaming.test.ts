// The streaming benchmark: frames/s of an LSTM-CNN variant carrying its state, with the
// report's parameter count and the 20 frames/s target in the text.
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend/initBackend';
import { formatStreaming, runStreamingBench, STREAMING_VARIANTS } from './streaming';

beforeAll(async () => {
  await initBackend('wasm');
});

describe('streaming benchmark', () => {
  it('times the LSTM-CNN variants frame by frame', async () => {
    expect(STREAMING_VARIANTS).toEqual(['lstm-cnn-ende-p', 'lstm-cnn-en-p', 'lstm-cnn-ende-t', 'lstm-cnn-slim-t', 'lstm-cnn-en-t', 'lstm-cnn-en-t-d2', 'lstm-cnn-en-t-d3']);
    const rows = await runStreamingBench({ size: 16, frames: 3, variants: ['lstm-cnn-slim-t'] });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ variant: 'lstm-cnn-slim-t', params: 101057, size: 16, frames: 3 });
    expect(rows[0].framesPerSecond).toBeGreaterThan(0);
    expect(formatStreaming(rows)).toMatch(/lstm-cnn-slim-t .*frames\/s {2}target >= 20: (met|MISSED)/);
    await expect(runStreamingBench({ size: 16, frames: 1, variants: ['unet'] })).rejects.toThrow(/unknown LSTM-CNN variant/);
  });
});
