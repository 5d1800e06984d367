import { describe, expect, it } from 'vitest';
import { AppContext } from '../app-context';
import { ApiService } from '../api-service';
import type { ApiEvent, JobInfo } from '../../../shared/api';
import type { ModelInfo, TrainingRunInfo } from '../../../shared/ml';
import { makeTrainingProject, tinyRequest } from '../../ml/worker/test-project';

describe('engine API methods', () => {
  it('train.start streams train-point events and lists the model and the run; segment.start stores predictions', async () => {
    const { project } = await makeTrainingProject({ train: 8, val: 2, test: 2 });
    const path = project.path;
    project.close();
    process.env.HEMASEG_HOME ??= (await import('../../testing/fixtures')).tempDir();
    const ctx = new AppContext('web');
    const api = new ApiService(ctx);
    ctx.open(path);
    const events: ApiEvent[] = [];
    ctx.events.on('event', (e: ApiEvent) => events.push(e));

    const bad = await api.call('train.start', tinyRequest({ name: 'bad name!' }));
    expect(bad.ok).toBe(false);
    // A spec the family refuses fails the call itself (no job, no run), naming the valid options.
    for (const [model, message] of [
      [{ family: 'segnot', config: {} }, /unknown model family 'segnot' \(families: unet/],
      [{ family: 'unet', config: { kernel: 7 } }, /no option 'kernel'; its options: --task/],
      [{ family: 'unet', config: { inputSize: 36, depth: 3 } }, /divisible by 2\^depth = 8.*unet options/],
    ] as const) {
      const refused = await api.call('train.start', tinyRequest({ model }));
      expect(refused.ok).toBe(false);
      expect(refused.ok ? '' : refused.error.message).toMatch(message);
    }
    expect(ctx.jobs.list()).toHaveLength(0);
    const families = (await api.call('models.families', undefined)) as { ok: true; value: { id: string; paramCount: number }[] };
    expect(families.value.map((f) => f.id)).toContain('unet');

    const started = await api.call('train.start', tinyRequest({ epochs: 2 }));
    expect(started.ok).toBe(true);
    const jobId = (started as { value: { jobId: string } }).value.jobId;
    await ctx.jobs.settle();
    const job = ctx.jobs.list().find((j: JobInfo) => j.id === jobId)!;
    expect(job.status).toBe('done');
    expect(events.some((e) => e.type === 'train-point' && e.jobId === jobId && e.point.kind === 'epoch')).toBe(true);
    expect(ctx.backend).not.toBeNull();

    const models = (await api.call('models.list', undefined)) as { ok: true; value: ModelInfo[] };
    expect(models.value.map((m) => m.ref)).toEqual(['tiny@1']);
    const runs = (await api.call('train.runs', undefined)) as { ok: true; value: TrainingRunInfo[] };
    expect(runs.value[0]).toMatchObject({ status: 'done', resultRef: 'tiny@1' });

    const seg = await api.call('segment.start', { model: 'tiny@1', threshold: 0.5, target: { kind: 'project', images: 'test' } });
    expect(seg.ok).toBe(true);
    await ctx.jobs.settle();
    const segJob = ctx.jobs.list().find((j) => j.kind === 'segment')!;
    expect(segJob.status).toBe('done');
    expect(segJob.result).toMatchObject({ segmented: 2, model: 'tiny@1' });
    expect(events.some((e) => e.type === 'images-changed')).toBe(true);
    ctx.close();
  });
});
