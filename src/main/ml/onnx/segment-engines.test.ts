// The segmentation job on each engine: ONNX Runtime (default), TensorFlow.js, and a KServe v2
// server; masks agree across engines, every prediction records its engine, and a server
// that is down or serves another model fails the job without storing anything.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SegmentRequest } from '../../../shared/ml';
import type { Project } from '../../project/project';
import { initBackend } from '../backend/initBackend';
import { runSegmentJob } from '../inference/segment-job';
import { ModelsRepo } from '../registry/models-repo';
import { startKserveTestServer, type TestServer } from '../serving/kserve-test-server';
import { createNetwork } from '../training/network';
import { makeTrainingProject } from '../worker/test-project';
import type { FromWorker, JobIo } from '../worker/protocol';
import { buildOnnx } from './export-onnx';

function io(cancelAfter?: number): JobIo & { messages: FromWorker[] } {
  const messages: FromWorker[] = [];
  return {
    messages,
    send: (m) => messages.push(m),
    cancelled: () => cancelAfter !== undefined && messages.filter((m) => m.type === 'segment-progress').length >= cancelAfter,
    orphaned: () => false,
    backend: { backend: 'wasm', detail: 'test' },
  };
}

const request = (over: Partial<SegmentRequest>): SegmentRequest => ({ model: 'unet', threshold: 0.5, target: { kind: 'project', images: 'all' }, ...over });

describe('segmentation job engines', () => {
  let project: Project;
  let server: TestServer;

  beforeAll(async () => {
    await initBackend('wasm');
    ({ project } = await makeTrainingProject({ train: 40, val: 0, size: 48, seed: 3 }));
    const net = await createNetwork({ family: 'unet', config: { task: 'multiclass', inputSize: 32, depth: 2, baseFilters: 8, dropout: 0, inChannels: 3 } }, 7);
    const s = await net.serialize();
    net.dispose();
    new ModelsRepo(project.db).add({
      name: 'unet', family: 'unet', task: 'multiclass', config: JSON.parse(s.modelJson).config as Record<string, unknown>, backend: 'wasm', parentId: null, trainImages: 0, metrics: {},
      lineage: { parentRef: null, runId: null, trainImages: [], valImages: [], hyperparameters: null, backend: null, backendDetail: null, curves: [], bestEpoch: null, epochsRun: null, trainingSeconds: null, stoppedBy: null },
      modelJson: s.modelJson, weights: s.weights,
    });
    const onnx = buildOnnx({ name: 'unet', version: 1, modelJson: s.modelJson, weights: s.weights, exportedBy: 'test' }).bytes;
    server = await startKserveTestServer([{ name: 'unet', version: '1', onnx, fixedSize: 32 }]);
  });

  afterAll(async () => {
    await server?.close();
    project?.close();
  });

  const current = (source: string): { backend: string | null; note: string | null; labels: Uint8Array }[] =>
    project.images.list().map((img) => {
      const v = project.masks.current(img.id, 'prediction', source);
      if (!v) throw new Error(`no ${source} mask for ${img.name}`);
      return { backend: v.backend, note: v.note, labels: project.masks.load(v.id)!.labels };
    });

  it('uses ONNX Runtime by default, stores the engine, and agrees with TensorFlow.js', async () => {
    const onnx = await runSegmentJob(project.path, request({}), 'tester', io());
    expect(onnx).toMatchObject({ segmented: 40, failed: [], engine: 'onnxruntime-cpu', modelRef: 'unet@1', cancelled: false });
    const a = current('unet@1');
    expect(a.every((m) => m.backend === 'onnxruntime-cpu')).toBe(true);

    const tfjs = await runSegmentJob(project.path, request({ engine: 'tfjs' }), 'tester', io());
    expect(tfjs).toMatchObject({ segmented: 40, engine: 'wasm' });
    const b = current('unet@1');
    expect(b.every((m) => m.backend === 'wasm')).toBe(true);
    let same = 0;
    let total = 0;
    a.forEach((m, i) => m.labels.forEach((v, k) => {
      total++;
      if (v === b[i].labels[k]) same++;
    }));
    expect(same / total).toBeGreaterThanOrEqual(0.999);
  });

  it('segments through a KServe v2 server and records where the masks came from', async () => {
    const r = await runSegmentJob(project.path, request({ engine: 'triton', server: { url: server.url, model: 'unet' } }), 'tester', io());
    expect(r).toMatchObject({ segmented: 40, engine: 'triton', modelRef: 'triton:unet@1', modelId: null });
    const m = current('triton:unet@1');
    expect(m.every((x) => x.backend === 'triton' && x.note?.includes(`on ${server.url} (KServe v2)`))).toBe(true);
    expect(m[0].note).toContain('pre/post-processing of unet@1');
    const local = current('unet@1');
    let same = 0;
    let total = 0;
    m.forEach((x, i) => x.labels.forEach((v, k) => {
      total++;
      if (v === local[i].labels[k]) same++;
    }));
    expect(same / total).toBeGreaterThanOrEqual(0.999);
  });

  it('fails the job with nothing stored when the server is down or serves another model', async () => {
    const before = project.masks.sources().length;
    const down = createServer();
    await new Promise<void>((r) => down.listen(0, '127.0.0.1', () => r()));
    const port = (down.address() as AddressInfo).port;
    await new Promise<void>((r) => down.close(() => r()));
    await expect(runSegmentJob(project.path, request({ engine: 'triton', server: { url: `http://127.0.0.1:${port}`, model: 'unet', retries: 0 } }), 'tester', io())).rejects.toThrow(/no server at http:\/\/127.0.0.1:\d+ \(connection refused\)/);
    await expect(runSegmentJob(project.path, request({ model: 'segnet', engine: 'triton', server: { url: server.url, model: 'segnet', retries: 0 } }), 'tester', io())).rejects.toThrow(/does not serve model 'segnet'/);
    expect(project.masks.sources().length).toBe(before);
  });

  it('a server failing mid-job stops it; nothing half-stored', async () => {
    const before = project.masks.sources().find((x) => x.source === 'triton:unet@1')?.images;
    server.failNext(1000, 503);
    try {
      await expect(runSegmentJob(project.path, request({ engine: 'triton', server: { url: server.url, model: 'unet', version: '1', retries: 1 } }), 'tester', io())).rejects.toThrow(/HTTP 503 injected failure \(after 2 attempts\)/);
    } finally {
      server.failNext(0, 503);
    }
    expect(project.masks.sources().find((x) => x.source === 'triton:unet@1')?.images).toBe(before);
  });

  it('cancel stops after the batches in flight', async () => {
    // Batches of 16 with two in flight: the first two finish, the third never starts.
    const r = await runSegmentJob(project.path, request({}), 'tester', io(1));
    expect(r.cancelled).toBe(true);
    expect(r.segmented).toBe(32);
  });
});
