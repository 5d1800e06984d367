import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { simulateFlow } from './simulate-flow';
import { flowFramePng, importFlow } from '../write-synth';
import { decodeIntensity } from '../../imaging/decode-intensity';
import { Project } from '../../project/project';
import { tempDir } from '../../testing/fixtures';

/** Pixels well inside cells (no background, edge or impulse within 1 px), in one frame. */
function cellInterior(truth: Uint8Array, img: Float32Array, S: number): number[] {
  const out: number[] = [];
  for (let y = 1; y < S - 1; y++) {
    for (let x = 1; x < S - 1; x++) {
      const i = y * S + x;
      if (truth[i] && truth[i - 1] && truth[i + 1] && truth[i - S] && truth[i + S] && img[i] > 0 && img[i] < 1) out.push(i);
    }
  }
  return out;
}

describe('flow film storage', () => {
  it("keeps the cells' 0.001 noise through 16-bit PNG storage (8 bits would erase it)", async () => {
    const S = 128;
    const film = simulateFlow({ seed: 5, frames: 3, size: S });
    const f = 2;
    const decoded = await decodeIntensity(await flowFramePng(film.frames[f], S), 'frame.png');
    expect(decoded.bits).toBe(16);
    const inside = cellInterior(film.truth[f], film.frames[f], S);
    expect(inside.length).toBeGreaterThan(500);
    let err = 0;
    for (const i of inside) err = Math.max(err, Math.abs(decoded.data[i] - film.frames[f][i]));
    expect(err).toBeLessThan(1 / 65535); // 16-bit rounding only
    // The noise from differences of horizontal neighbours inside a cell (the level cancels),
    // as a robust sd (median absolute deviation).
    const interior = new Set(inside);
    // Pairs in one cell: two touching cells differ by their levels (up to 0.1), the noise by ~0.0014.
    const pairs = inside.filter((i) => interior.has(i + 1) && Math.abs(film.frames[f][i + 1] - film.frames[f][i]) < 0.006);
    const diffs = (img: ArrayLike<number>): number[] => pairs.map((i) => img[i + 1] - img[i]);
    const robustSd = (xs: number[]): number => {
      const med = (v: number[]): number => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
      const m = med(xs);
      return (1.4826 * med(xs.map((x) => Math.abs(x - m)))) / Math.SQRT2;
    };
    const corr = (a: number[], b: number[]): number => {
      const ma = a.reduce((s, x) => s + x, 0) / a.length, mb = b.reduce((s, x) => s + x, 0) / b.length;
      let num = 0, da = 0, db = 0;
      for (let k = 0; k < a.length; k++) {
        num += (a[k] - ma) * (b[k] - mb);
        da += (a[k] - ma) ** 2;
        db += (b[k] - mb) ** 2;
      }
      return num / Math.sqrt(da * db);
    };
    const stored = diffs(decoded.data);
    const original = diffs(film.frames[f]);
    const sd = robustSd(stored);
    expect(sd).toBeGreaterThan(0.0008);
    expect(sd).toBeLessThan(0.0012);
    expect(corr(stored, original)).toBeGreaterThan(0.999);
    // Storage error against the noise: 16 bits add under 1 % of it; 8 bits add as much again.
    const rms = (img: ArrayLike<number>): number => Math.sqrt(inside.reduce((acc, i) => acc + (img[i] - film.frames[f][i]) ** 2, 0) / inside.length);
    expect(rms(decoded.data)).toBeLessThan(0.01 * sd);
    expect(rms(Float32Array.from(film.frames[f], (v) => Math.round(v * 255) / 255))).toBeGreaterThan(0.8 * sd);
  });

  it('imports two films with different seeds under seed 000: 40/10/50 labelled frames, 400 unused, none of them trainable', async () => {
    const p = Project.open(join(tempDir(), 'flow.hemaseg'), { create: true });
    const r = await importFlow(p, { seed: 7, size: 16, cells: 3 });
    expect(r.sequences).toEqual(['rbc-flow-seed7', 'rbc-flow-seed8']);
    expect(r.imported).toBe(1000);
    expect(r.masksImported).toBe(200);
    const seqs = p.sequences.list();
    for (const s of seqs) {
      expect(s).toMatchObject({ frameCount: 500, labelledFrames: 100, protocol: 'seed000', bySplit: { train: 40, val: 10, test: 50, unused: 400 } });
    }
    const train = p.images.list({ split: ['train'] });
    expect(train).toHaveLength(80);
    expect(train.every((i) => !i.unused && i.frameIndex !== null && i.frameIndex % 10 === 0 && i.frameIndex < 400)).toBe(true);
    const test = p.images.list({ split: ['test'] });
    expect(test.every((i) => i.frameIndex !== null && i.frameIndex % 10 === 5)).toBe(true);
    const [a, b] = seqs.map((s) => p.images.list({ sequenceId: s.id })[0]);
    expect(a.hash).not.toBe(b.hash);
    const stored = p.images.bytes(a.id);
    expect((await decodeIntensity(stored!.bytes, a.name)).bits).toBe(16);
    p.close();
  });
});
