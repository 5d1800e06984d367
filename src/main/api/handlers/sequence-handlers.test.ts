import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { AppContext } from '../app-context';
import { ApiService } from '../api-service';
import type { ApiMethod, ApiRequest, ApiResponse } from '../../../shared/api';
import { Project } from '../../project/project';
import { importFlow, importSmears } from '../../synth/write-synth';
import { runImportJob } from '../../transfer/import-job';
import { makeCell, tempDir, writePng } from '../../testing/fixtures';

let api: ApiService;
let path: string;

async function call<M extends ApiMethod>(method: M, req: ApiRequest<M>): Promise<ApiResponse<M>> {
  const r = await api.call(method, req);
  if (!r.ok) throw new Error(r.error.message);
  return r.value as ApiResponse<M>;
}

beforeAll(async () => {
  process.env.HEMASEG_HOME ??= tempDir();
  path = join(tempDir('hemaseg-seq-api-'), 'p.hemaseg');
  const p = Project.open(path, { create: true });
  await importSmears(p, { count: 2, size: 48, classes: [1], palette: 'yellow', seed: 1 });
  await importFlow(p, { seed: 3, frames: 30, size: 16, cells: 3 }, undefined, { films: 1 });
  p.close();
  const ctx = new AppContext('web');
  api = new ApiService(ctx);
  ctx.open(path);
}, 60_000);

describe('sequence API', () => {
  it('lists sequences, serves frames in order, filters images by sequence and sets a whole sequence split', async () => {
    const [seq] = await call('sequences.list', undefined);
    expect(seq).toMatchObject({ name: 'rbc-flow-seed3', frameCount: 30, protocol: 'seed000', bySplit: { train: 3, val: 0, test: 3, unused: 24 } });
    const { sequence, frames } = await call('sequences.frames', { id: seq.id });
    expect(sequence.id).toBe(seq.id);
    expect(frames.map((f) => f.frameIndex)).toEqual(Array.from({ length: 30 }, (_, k) => k));
    expect(frames.filter((f) => f.unused)).toHaveLength(24);
    expect((await call('images.list', { sequenceId: null })).map((i) => i.name)).toEqual(['smear-0001.png', 'smear-0002.png']);
    expect(await call('images.list', { sequenceId: seq.id, split: ['test'] })).toHaveLength(3);
    await expect(call('images.update', { ids: [frames[0].id], split: 'test' })).rejects.toThrow(/frame of a sequence/);
    await expect(call('sequences.setSplit', { id: seq.id, split: 'bogus' as 'test' })).rejects.toThrow(/split must be one of/);
    await expect(call('sequences.frames', { id: 999 })).rejects.toThrow(/no sequence with id 999/);
    const after = await call('sequences.setSplit', { id: seq.id, split: 'test' });
    expect(after.bySplit).toEqual({ train: 0, val: 0, test: 30, unused: 0 });
    const info = await call('project.current', undefined);
    expect(info?.counts).toMatchObject({ sequences: 1, frames: 30, unusedFrames: 0 });
  });

  it('imports a numbered-frame folder as a sequence in the import worker job', async () => {
    const folder = join(tempDir(), 'clip');
    mkdirSync(folder);
    for (const n of [1, 2, 4]) await writePng(join(folder, `t${n}.png`), makeCell(n, 24, 24).rgb, 24, 24, 3);
    const sent: string[] = [];
    const report = await runImportJob(
      { type: 'import', project: path, folder, options: { masksDir: null, maskConvention: 'auto', recursive: false, asSequence: { name: 'clip 1', frameInterval: 30 } } },
      { send: (m) => sent.push(m.type), cancelled: () => false },
    );
    expect(report.imported).toBe(3);
    expect(report.notes).toEqual([{ file: 't4.png', note: 'gap in the numbering: frame 3 is missing before it' }]);
    expect(sent).toContain('import-progress');
    const seq = (await call('sequences.list', undefined)).find((s) => s.name === 'clip 1');
    expect(seq).toMatchObject({ frameCount: 3, frameInterval: 30, firstFrame: 1, lastFrame: 4 });
  });
});
