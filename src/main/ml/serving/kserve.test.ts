import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeCell } from '../../testing/fixtures';
import { initBackend } from '../backend/initBackend';
import { buildOnnx } from '../onnx/export-onnx';
import { OrtEngine } from '../onnx/ort-engine';
import { createNetwork, type SegmentationNetwork } from '../training/network';
import { KserveClient, KserveEngine } from './kserve-client';
import { startKserveTestServer, type TestServer } from './kserve-test-server';

function images(n: number, s: number): Float32Array {
  const x = new Float32Array(n * s * s * 3);
  for (let k = 0; k < n; k++) makeCell(k + 1, s, s).rgb.forEach((v, i) => (x[k * s * s * 3 + i] = v / 255));
  return x;
}

/** A port nothing listens on (bound, then released). */
async function closedPort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  const port = (srv.address() as AddressInfo).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

describe('KServe v2 client against a local endpoint on onnxruntime-node', () => {
  let net: SegmentationNetwork;
  let server: TestServer;
  let onnxBytes: Uint8Array;

  beforeAll(async () => {
    await initBackend('wasm');
    net = await createNetwork({ family: 'unet', config: { task: 'multiclass', inputSize: 32, depth: 2, baseFilters: 8, dropout: 0, inChannels: 3 } }, 4);
    const s = await net.serialize();
    onnxBytes = buildOnnx({ name: 'unet', version: 1, modelJson: s.modelJson, weights: s.weights, exportedBy: 'test' }).bytes;
    server = await startKserveTestServer([
      { name: 'unet', version: '1', onnx: onnxBytes, fixedSize: 32 },
      { name: 'dynamic', version: '4', onnx: onnxBytes },
    ]);
  });

  afterAll(async () => {
    await server?.close();
    net?.dispose();
  });

  it('checks the metadata, then infers with binary tensors; results equal local ONNX Runtime and tfjs', async () => {
    const engine = await KserveEngine.connect({ url: server.url, model: 'unet', maxBatch: 2 });
    expect(engine.signature).toEqual({ inputName: 'image', outputName: 'probabilities', channels: 3, fixedSize: 32, version: '1' });
    const x = images(5, 32);
    const remote = await engine.forward(x, 5, 32, 32);
    expect(server.hits.get('/v2/models/unet/infer')).toBe(3); // batches of 2, 2, 1
    const local = await OrtEngine.create(onnxBytes);
    expect(Array.from(remote)).toEqual(Array.from(await local.forward(x, 5, 32, 32)));
    local.dispose();
    const ref = net.predictProbs(x, 5, 32, 32);
    let maxDiff = 0;
    for (let i = 0; i < ref.length; i++) maxDiff = Math.max(maxDiff, Math.abs(ref[i] - remote[i]));
    expect(maxDiff).toBeLessThan(1e-4);
    await expect(engine.forward(images(1, 16), 1, 16, 16)).rejects.toThrow(/takes 32x32 images, got 16x16/);
  });

  it('retries transient failures and gives up with a clear error', async () => {
    const client = new KserveClient({ url: server.url, model: 'dynamic', retries: 2, backoffMs: 5 });
    const x = images(1, 32);
    server.failNext(2, 503);
    const r = await client.infer({ name: 'image', shape: [1, 32, 32, 3], data: x }, 'probabilities');
    expect(r.shape).toEqual([1, 32, 32, 3]);
    server.failNext(3, 503);
    await expect(client.infer({ name: 'image', shape: [1, 32, 32, 3], data: x }, 'probabilities')).rejects.toThrow(/HTTP 503 injected failure \(after 3 attempts\)/);
  });

  it('says when the server is down, does not answer, or serves another model', async () => {
    const port = await closedPort();
    await expect(KserveEngine.connect({ url: `http://127.0.0.1:${port}`, model: 'unet', retries: 1, backoffMs: 5 })).rejects.toThrow(
      new RegExp(`no server at http://127.0.0.1:${port} \\(connection refused\\); is Triton running\\? \\(after 2 attempts\\)`),
    );
    await expect(KserveEngine.connect({ url: server.url, model: 'segnet', retries: 0 })).rejects.toThrow(/does not serve model 'segnet' .*; it serves: unet, dynamic/);
    await expect(KserveEngine.connect({ url: server.url, model: 'unet', expectChannels: 4 })).rejects.toThrow(/has 3 class channels, the model named for this job has 4: it serves a different model/);
    await expect(KserveEngine.connect({ url: 'localhost:8000', model: 'unet' })).rejects.toThrow(/not a URL|only http and https/);

    // A server that accepts connections and never answers.
    const silent = createServer(() => undefined);
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', () => r()));
    const url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
    try {
      await expect(KserveEngine.connect({ url, model: 'unet', timeoutMs: 150, retries: 1, backoffMs: 5 })).rejects.toThrow(/\/v2\/health\/ready: timed out \(after 2 attempts\)/);
    } finally {
      silent.closeAllConnections();
      silent.close();
    }
  });

  it('refuses a served model whose signature HemaSeg cannot feed', async () => {
    // Not a segmentation network: the test server serves what it is given.
    const { encodeModel } = await import('../onnx/onnx-model');
    const nchw = encodeModel({
      name: 'nchw', nodes: [{ op: 'Identity', name: 'i', inputs: ['x'], outputs: ['y'] }], initializers: [],
      input: { name: 'x', dims: ['n', 3, 'h', 'w'] }, output: { name: 'y', dims: ['n', 3, 'h', 'w'] },
    }, {}, 'test');
    const other = await startKserveTestServer([{ name: 'classifier', version: '1', onnx: nchw }]);
    try {
      await expect(KserveEngine.connect({ url: other.url, model: 'classifier' })).rejects.toThrow(/input 'x' is FP32 \[-1, 3, -1, -1\]; HemaSeg sends FP32 \[batch, height, width, 3\]/);
    } finally {
      await other.close();
    }
  });
});
