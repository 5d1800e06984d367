import { describe, expect, it } from 'vitest';
import type { RgbImage } from '../../../shared/domain';
import { runPipeline, type PipelineItem } from './pipeline';

interface It extends PipelineItem {
  n: number;
}

const img = (n: number): RgbImage => ({ width: 1, height: 1, data: new Uint8Array([n, 0, 0]) });

function items(count: number, badLoad: number[] = []): It[] {
  return Array.from({ length: count }, (_, n) => ({
    n,
    label: `img${n}`,
    load: async () => {
      if (badLoad.includes(n)) throw new Error('cannot decode');
      return img(n);
    },
  }));
}

describe('batch pipeline', () => {
  it('commits batches in order, overlaps batches, and reports per-image errors', async () => {
    let active = 0;
    let maxActive = 0;
    const commits: number[][] = [];
    const reports: [string, string | null][] = [];
    await runPipeline<It, { v: number }>({
      items: items(10, [3]),
      batchSize: 4,
      depth: 2,
      segment: async (images) => {
        active++;
        maxActive = Math.max(maxActive, active);
        await new Promise((r) => setTimeout(r, 20));
        active--;
        // Image 6 makes its batch fail; the pipeline retries one by one and isolates it.
        if (images.some((i) => i.data[0] === 6)) throw new Error('engine failed on 6');
        return images.map((i) => ({ v: i.data[0] }));
      },
      commit: (results) => {
        commits.push(results.map((r) => r.result.v));
      },
      report: (item, error) => reports.push([item.label, error]),
      shouldStop: () => false,
    });
    expect(maxActive).toBe(2);
    expect(commits).toEqual([[0, 1, 2], [4, 5, 7], [8, 9]]);
    expect(reports.map((r) => r[0])).toEqual(['img0', 'img1', 'img2', 'img3', 'img4', 'img5', 'img6', 'img7', 'img8', 'img9']);
    expect(reports.filter((r) => r[1])).toEqual([['img3', 'cannot decode'], ['img6', 'engine failed on 6']]);
  });

  it('fails a whole batch when its commit throws (one transaction), and keeps going', async () => {
    const reports: [string, string | null][] = [];
    await runPipeline<It, { v: number }>({
      items: items(6),
      batchSize: 3,
      segment: async (images) => images.map((i) => ({ v: i.data[0] })),
      commit: (results) => {
        if (results[0].result.v === 0) throw new Error('disk full');
        return results.map((r) => (r.result.v === 4 ? 'file locked' : null));
      },
      report: (item, error) => reports.push([item.label, error]),
      shouldStop: () => false,
    });
    expect(reports).toEqual([['img0', 'disk full'], ['img1', 'disk full'], ['img2', 'disk full'], ['img3', null], ['img4', 'file locked'], ['img5', null]]);
  });

  it('stops on cancel after committing the batches in flight, and stops at once on a fatal error', async () => {
    let stop = false;
    const committed: number[] = [];
    const r = await runPipeline<It, { v: number }>({
      items: items(40),
      batchSize: 4,
      depth: 2,
      segment: async (images) => images.map((i) => ({ v: i.data[0] })),
      commit: (results) => {
        committed.push(...results.map((x) => x.result.v));
        stop = true;
      },
      report: () => undefined,
      shouldStop: () => stop,
    });
    expect(r.stopped).toBe(true);
    expect(committed.length % 4).toBe(0);
    expect(committed.length).toBeLessThanOrEqual(8);

    class Down extends Error {}
    const stored: number[] = [];
    await expect(runPipeline<It, { v: number }>({
      items: items(12),
      batchSize: 4,
      segment: async (images) => {
        if (images.some((i) => i.data[0] >= 4)) throw new Down('server down');
        return images.map((i) => ({ v: i.data[0] }));
      },
      isFatal: (e) => e instanceof Down,
      commit: (results) => {
        stored.push(...results.map((x) => x.result.v));
      },
      report: () => undefined,
      shouldStop: () => false,
    })).rejects.toThrow('server down');
    expect(stored).toEqual([0, 1, 2, 3]);
  });
});
