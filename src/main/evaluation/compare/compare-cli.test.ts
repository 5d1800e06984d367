// `hemaseg compare` end to end on a tiny generated project: N sources on one image set, the
// --a/--b form, and an unknown source refused by name with the project's sources listed.
import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Project } from '../../project/project';
import { importSmears } from '../../synth/write-synth';
import { tempDir } from '../../testing/fixtures';
import { SOURCE } from '../../../shared/domain';
import type { ComparisonRun } from '../../../shared/core/comparison';

const CLI = resolve(__dirname, '../../cli/index.ts');

function hemaseg(args: string[]): Promise<{ code: number; out: string; err: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], { cwd: resolve(__dirname, '../../../..'), stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, HEMASEG_HOME: tempDir(), HOME: '/tmp' } });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('exit', (code) => done({ code: code ?? 1, out, err }));
  });
}

describe('hemaseg compare', () => {
  it('compares N sources on one image set, keeps --a/--b, and refuses an unknown source', async () => {
    const path = join(tempDir(), 'c.hemaseg');
    const p = Project.open(path, { create: true });
    await importSmears(p, { count: 6, size: 48, classes: [1, 8], palette: 'yellow', seed: 9 });
    const images = p.images.list();
    p.images.update(images.map((i) => i.id), { split: 'test' });
    images.forEach((img, k) => {
      const gt = p.masks.load(p.masks.current(img.id, 'ground-truth')!.id)!;
      p.masks.append({ imageId: img.id, kind: 'prediction', source: 'net@1', author: 't', mask: gt });
      if (k > 0) p.masks.append({ imageId: img.id, kind: 'prediction', source: 'other@2', author: 't', mask: { ...gt, labels: new Uint8Array(gt.labels.length), instances: undefined } });
      p.masks.append({ imageId: img.id, kind: 'baseline', source: SOURCE.activeContour, author: 't', mask: gt });
    });
    p.close();

    const text = await hemaseg(['compare', path, '--sources', 'net@1,other,active-contour', '--worst', '2,10']);
    expect(text.err).toBe('');
    expect(text.code).toBe(0);
    expect(text.out).toContain('5 images, the same for every source (test split, vs ground-truth)');
    // The bare name resolves to one version for the whole comparison, named in the columns.
    expect(text.out).toMatch(/metric\s+net@1\s+other@2\s+active-contour/);
    expect(text.out).toMatch(/net@1: 1 dropped \(0 without its own mask, 1 because another source has none\)/);
    expect(text.out).toMatch(/iou\.cell\s+100\.0 ± 0\.0\s+0\.0 ± 0\.0\s+100\.0 ± 0\.0/);
    expect(text.out).toMatch(/N=2 \(2\)\s+100\.0\s+0\.0\s+100\.0/);
    expect(text.out).toMatch(/N=10 \(5\)\s+100\.0\s+0\.0\s+100\.0/);
    expect(text.out).toMatch(/stored as comparison 1 \(evaluations 1, 2, 3\)/);

    const json = await hemaseg(['compare', path, '--a', 'net@1', '--b', 'active-contour', '--split', 'all', '--json']);
    expect(json.code).toBe(0);
    const run = JSON.parse(json.out) as ComparisonRun;
    expect(run.comparison.imageIds).toHaveLength(6);
    expect(run.tables.sources).toEqual(['net@1', 'active-contour']);
    expect(run.comparison.id).toBe(2);

    const bad = await hemaseg(['compare', path, '--sources', 'net@1,segnet@1']);
    expect(bad.code).not.toBe(0);
    expect(bad.err).toMatch(/unknown source 'segnet@1'.*this project's sources: ground-truth, .*net@1/);
    const none = await hemaseg(['compare', path]);
    expect(none.code).toBe(2);
    expect(none.err).toMatch(/--sources/);
  }, 60_000);
});
