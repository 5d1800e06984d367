// ONNX Runtime on a worker thread. onnxruntime-node runs a session synchronously on the
// calling thread, so in the main thread the network would stop decoding and post-processing
// while it computes. On its own thread the network of one batch overlaps the JavaScript work
// of the next (pipeline.ts), and the two cores are both busy. The worker is plain JavaScript
// (no build step) that loads onnxruntime-node by absolute path; tensors move without copies.
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { ProbabilityEngine } from '../inference/probability-engine';
import type { OnnxModelMeta } from './onnx-metadata';
import { checkSegmentationModel, readModelInfo } from './onnx-model';
import { ORT_ENGINE_NAME } from './ort-engine-name';
import { ortSessionOptions, readOnnxFile } from './ort-session-setup';

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const ort = require(workerData.ortPath);
let session = null;
parentPort.on('message', async (m) => {
  try {
    if (m.type === 'init') {
      session = await ort.InferenceSession.create(m.bytes, m.options);
      parentPort.postMessage({ id: m.id, ok: true });
    } else if (m.type === 'run') {
      const out = await session.run({ [m.input]: new ort.Tensor('float32', m.x, m.dims) });
      const t = out[m.output];
      if (!t) throw new Error('no output ' + m.output);
      const data = new Float32Array(t.data);
      parentPort.postMessage({ id: m.id, ok: true, data, dims: t.dims }, [data.buffer]);
    }
  } catch (e) {
    parentPort.postMessage({ id: m.id, ok: false, error: e && e.message ? e.message : String(e) });
  }
});
`;

interface Reply {
  id: number;
  ok: boolean;
  error?: string;
  data?: Float32Array;
  dims?: number[];
}

export interface OrtThreadOptions {
  intraOpThreads?: number;
  label?: string;
}

export class OrtThreadEngine implements ProbabilityEngine {
  readonly name = ORT_ENGINE_NAME;
  readonly channels: number;
  readonly sizeMultiple: number;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve(r: Reply): void; reject(e: Error): void }>();
  private failure: Error | null = null;

  private constructor(
    private readonly worker: Worker,
    readonly meta: OnnxModelMeta,
    private readonly inputName: string,
    private readonly outputName: string,
  ) {
    this.channels = meta.channels;
    this.sizeMultiple = meta.sizeMultiple;
    worker.on('message', (r: Reply) => {
      const p = this.pending.get(r.id);
      this.pending.delete(r.id);
      p?.resolve(r);
    });
    const fail = (err: Error): void => {
      this.failure = err;
      for (const p of this.pending.values()) p.reject(err);
      this.pending.clear();
    };
    worker.on('error', (err) => fail(new Error(`ONNX Runtime thread failed: ${err.message}`)));
    worker.on('exit', (code) => fail(new Error(`ONNX Runtime thread exited (code ${code})`)));
    worker.unref();
  }

  static async create(bytes: Uint8Array, opts: OrtThreadOptions = {}): Promise<OrtThreadEngine> {
    const label = opts.label ?? 'ONNX model';
    const checked = checkSegmentationModel(readModelInfo(bytes, label), label);
    let ortPath: string;
    try {
      ortPath = createRequire(import.meta.url).resolve('onnxruntime-node');
    } catch (err) {
      throw new Error(`onnxruntime-node could not be loaded (${(err as Error).message.split('\n')[0]})`);
    }
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { ortPath } });
    const engine = new OrtThreadEngine(worker, checked, checked.inputName, checked.outputName);
    try {
      await engine.call({
        type: 'init',
        bytes,
        options: ortSessionOptions(opts.intraOpThreads),
      });
    } catch (err) {
      engine.dispose();
      throw new Error(`${label}: ONNX Runtime refused the model (${(err as Error).message.split('\n')[0]})`);
    }
    return engine;
  }

  static async fromFile(file: string, opts: OrtThreadOptions = {}): Promise<OrtThreadEngine> {
    return OrtThreadEngine.create(readOnnxFile(file), { ...opts, label: opts.label ?? file });
  }

  private call(msg: Record<string, unknown>, transfer: ArrayBuffer[] = []): Promise<Reply> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise<Reply>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.ref(); // a job waiting for the network must keep the process alive
      this.worker.postMessage({ ...msg, id }, transfer);
    }).then((r) => {
      if (!this.pending.size) this.worker.unref();
      if (!r.ok) throw new Error(r.error ?? 'ONNX Runtime failed');
      return r;
    });
  }

  async forward(x: Float32Array, n: number, h: number, w: number): Promise<Float32Array> {
    if (x.length !== n * h * w * 3) throw new Error(`ONNX engine: input has ${x.length} values, expected ${n}x${h}x${w}x3`);
    if (h % this.sizeMultiple || w % this.sizeMultiple) throw new Error(`ONNX engine: ${h}x${w} is not a multiple of ${this.sizeMultiple}`);
    // The caller may keep using x: send a copy it does not see (transferred, not cloned again).
    const copy = x.slice();
    const r = await this.call({ type: 'run', x: copy, dims: [n, h, w, 3], input: this.inputName, output: this.outputName }, [copy.buffer]);
    const expected = n * h * w * this.channels;
    if (!r.data || r.data.length !== expected) throw new Error(`ONNX engine: output '${this.outputName}' has ${r.dims?.join('x') ?? 'no data'}, expected ${n}x${h}x${w}x${this.channels}`);
    return r.data;
  }

  dispose(): void {
    this.failure ??= new Error('ONNX engine disposed');
    void this.worker.terminate();
  }
}
