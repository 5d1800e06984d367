// A KServe v2 (Triton) HTTP client for segmentation: checks the server and the model's
// signature before any image is sent, then runs batches with the binary tensor extension.
// Transient failures (connection refused or reset, timeouts, 429/502/503/504) are retried
// with backoff; anything else fails the batch with a message naming the server and model.
import type { ProbabilityEngine } from '../inference/probability-engine';
import {
  bytesToFloat32, float32Bytes, HEADER_LENGTH, joinBody, splitBody,
  type InferRequestHeader, type InferResponseHeader, type ModelMetadata, type TensorMetadata,
} from './kserve-protocol';

export const TRITON_ENGINE_NAME = 'triton';

export interface KserveOptions {
  /** Base URL, e.g. http://host:8000 */
  url: string;
  model: string;
  /** Model version; default: the server's choice. */
  version?: string;
  /** Per request. Default 30 s. */
  timeoutMs?: number;
  /** Retries after the first attempt for transient failures. Default 3. */
  retries?: number;
  /** First backoff; doubles per retry. Default 200 ms. */
  backoffMs?: number;
}

export class KserveError extends Error {
  constructor(message: string, readonly transient: boolean) {
    super(message);
  }
}

const TRANSIENT_STATUS = new Set([408, 429, 502, 503, 504]);

function causeText(err: unknown): string {
  const e = err as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError') return 'timed out';
  return e?.cause?.code ?? e?.cause?.message ?? e?.message ?? String(err);
}

export class KserveClient {
  readonly base: string;
  private readonly timeoutMs: number;
  private readonly retries: number;
  private readonly backoffMs: number;

  constructor(readonly opts: KserveOptions) {
    let u: URL;
    try {
      u = new URL(opts.url);
    } catch {
      throw new KserveError(`--url '${opts.url}' is not a URL (expected e.g. http://localhost:8000)`, false);
    }
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new KserveError(`--url '${opts.url}': only http and https are supported`, false);
    this.base = u.toString().replace(/\/+$/, '');
    this.timeoutMs = opts.timeoutMs ?? 30_000;
    this.retries = opts.retries ?? 3;
    this.backoffMs = opts.backoffMs ?? 200;
  }

  private modelPath(): string {
    const m = encodeURIComponent(this.opts.model);
    return this.opts.version ? `/v2/models/${m}/versions/${encodeURIComponent(this.opts.version)}` : `/v2/models/${m}`;
  }

  /** One HTTP request with timeout and retries; returns status, headers and body. */
  async request(path: string, init: { method: string; body?: Uint8Array<ArrayBuffer>; headers?: Record<string, string> }): Promise<{ status: number; headers: Headers; body: Uint8Array }> {
    let last: KserveError | null = null;
    for (let attempt = 0; attempt <= this.retries; attempt++) {
      if (attempt > 0) await new Promise((r) => setTimeout(r, this.backoffMs * 2 ** (attempt - 1)));
      try {
        const res = await fetch(this.base + path, {
          method: init.method,
          headers: init.headers,
          body: init.body,
          signal: AbortSignal.timeout(this.timeoutMs),
        });
        const body = new Uint8Array(await res.arrayBuffer());
        if (TRANSIENT_STATUS.has(res.status)) {
          last = new KserveError(`${this.base}${path}: HTTP ${res.status} ${errorText(body)}`, true);
          continue;
        }
        return { status: res.status, headers: res.headers, body };
      } catch (err) {
        const why = causeText(err);
        last = new KserveError(
          why === 'ECONNREFUSED' ? `no server at ${this.base} (connection refused); is Triton running?` : `${this.base}${path}: ${why}`,
          true,
        );
      }
    }
    throw new KserveError(`${(last as KserveError).message} (after ${this.retries + 1} attempts)`, true);
  }

  async metadata(): Promise<ModelMetadata> {
    const ready = await this.request('/v2/health/ready', { method: 'GET' });
    if (ready.status !== 200) throw new KserveError(`${this.base} is not ready (GET /v2/health/ready: HTTP ${ready.status})`, false);
    const res = await this.request(this.modelPath(), { method: 'GET' });
    if (res.status === 404 || res.status === 400) {
      throw new KserveError(`${this.base} does not serve model '${this.opts.model}'${this.opts.version ? ` version ${this.opts.version}` : ''} (${errorText(res.body)})${await this.listModels()}`, false);
    }
    if (res.status !== 200) throw new KserveError(`${this.base}${this.modelPath()}: HTTP ${res.status} ${errorText(res.body)}`, false);
    let md: ModelMetadata;
    try {
      md = JSON.parse(new TextDecoder().decode(res.body)) as ModelMetadata;
    } catch {
      throw new KserveError(`${this.base}${this.modelPath()}: the model metadata is not JSON; is this a KServe v2 server?`, false);
    }
    if (!Array.isArray(md.inputs) || !Array.isArray(md.outputs)) throw new KserveError(`${this.base}${this.modelPath()}: the metadata has no inputs/outputs; is this a KServe v2 server?`, false);
    const readyModel = await this.request(`${this.modelPath()}/ready`, { method: 'GET' });
    if (readyModel.status !== 200) throw new KserveError(`model '${this.opts.model}' on ${this.base} is not ready (HTTP ${readyModel.status})`, false);
    return md;
  }

  /** Triton's repository index (an extension), for a helpful "it serves ..." hint. */
  private async listModels(): Promise<string> {
    try {
      const res = await this.request('/v2/repository/index', { method: 'POST', body: new TextEncoder().encode('{}'), headers: { 'content-type': 'application/json' } });
      if (res.status !== 200) return '';
      const list = JSON.parse(new TextDecoder().decode(res.body)) as { name: string }[];
      return list.length ? `; it serves: ${list.map((m) => m.name).join(', ')}` : '';
    } catch {
      return '';
    }
  }

  /** One inference: FP32 input tensor -> FP32 output tensor (binary extension both ways). */
  async infer(input: { name: string; shape: number[]; data: Float32Array }, outputName: string): Promise<{ shape: number[]; data: Float32Array }> {
    const header: InferRequestHeader = {
      inputs: [{ name: input.name, shape: input.shape, datatype: 'FP32', parameters: { binary_data_size: input.data.byteLength } }],
      outputs: [{ name: outputName, parameters: { binary_data: true } }],
    };
    const { body, headerLength } = joinBody(header, [float32Bytes(input.data)]);
    const res = await this.request(`${this.modelPath()}/infer`, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/octet-stream', 'Inference-Header-Content-Length': String(headerLength) },
    });
    if (res.status !== 200) throw new KserveError(`inference on '${this.opts.model}' at ${this.base} failed: HTTP ${res.status} ${errorText(res.body)}`, false);
    const hl = res.headers.get(HEADER_LENGTH);
    const { header: rh, binary } = splitBody(res.body, hl === null ? null : Number(hl));
    const resp = rh as InferResponseHeader;
    const out = resp.outputs?.find((o) => o.name === outputName);
    if (!out) throw new KserveError(`the response of '${this.opts.model}' has no output '${outputName}'`, false);
    if (out.datatype !== 'FP32') throw new KserveError(`output '${outputName}' is ${out.datatype}, expected FP32`, false);
    let data: Float32Array;
    if (out.parameters?.binary_data_size !== undefined) {
      // Binary outputs follow the header in the order the JSON lists them.
      let off = 0;
      for (const o of resp.outputs) {
        if (o === out) break;
        off += o.parameters?.binary_data_size ?? 0;
      }
      data = bytesToFloat32(binary.subarray(off, off + out.parameters.binary_data_size));
    } else if (Array.isArray(out.data)) {
      data = Float32Array.from(out.data);
    } else {
      throw new KserveError(`output '${outputName}' carries no data`, false);
    }
    const count = out.shape.reduce((a, b) => a * b, 1);
    if (data.length !== count) throw new KserveError(`output '${outputName}' has ${data.length} values for shape [${out.shape.join(', ')}]`, false);
    return { shape: out.shape, data };
  }
}

function errorText(body: Uint8Array): string {
  const text = new TextDecoder().decode(body.subarray(0, 500)).trim();
  try {
    const j = JSON.parse(text) as { error?: string };
    if (j.error) return j.error;
  } catch {
    // not JSON
  }
  return text;
}

const dims = (t: TensorMetadata): string => `[${t.shape.join(', ')}]`;

/** What HemaSeg needs from a served model, checked against its metadata. */
export interface ServedSignature {
  inputName: string;
  outputName: string;
  channels: number;
  /** Fixed input side when the served model fixes it (Triton config dims), else null. */
  fixedSize: number | null;
  version: string | null;
}

export function checkServedModel(md: ModelMetadata, where: string, expectChannels?: number): ServedSignature {
  const need = 'HemaSeg sends FP32 [batch, height, width, 3] (NHWC RGB in [0, 1]) and reads FP32 [batch, height, width, classes] with 1, 3 or 4 classes';
  if (md.inputs.length !== 1 || md.outputs.length !== 1) {
    throw new KserveError(`${where}: the model has ${md.inputs.length} input(s) and ${md.outputs.length} output(s) (${md.inputs.map(dims).join(' ')} -> ${md.outputs.map(dims).join(' ')}); ${need}`, false);
  }
  const [i] = md.inputs;
  const [o] = md.outputs;
  if (i.datatype !== 'FP32' || i.shape.length !== 4 || i.shape[3] !== 3) {
    throw new KserveError(`${where}: input '${i.name}' is ${i.datatype} ${dims(i)}; ${need}`, false);
  }
  const channels = o.shape[3];
  if (o.datatype !== 'FP32' || o.shape.length !== 4 || ![1, 3, 4].includes(channels)) {
    throw new KserveError(`${where}: output '${o.name}' is ${o.datatype} ${dims(o)}; ${need}`, false);
  }
  if (expectChannels !== undefined && channels !== expectChannels) {
    throw new KserveError(`${where}: the served model has ${channels} class channels, the model named for this job has ${expectChannels}: it serves a different model`, false);
  }
  const [h, w] = [i.shape[1], i.shape[2]];
  if ((h > 0 || w > 0) && h !== w) throw new KserveError(`${where}: input '${i.name}' is ${dims(i)}; HemaSeg sends square images`, false);
  return { inputName: i.name, outputName: o.name, channels, fixedSize: h > 0 ? h : null, version: md.versions?.length ? md.versions[md.versions.length - 1] : null };
}

/** A ProbabilityEngine that sends each batch to a KServe v2 server. */
export class KserveEngine implements ProbabilityEngine {
  readonly name = TRITON_ENGINE_NAME;
  readonly channels: number;
  readonly sizeMultiple = 1;

  private constructor(
    private readonly client: KserveClient,
    readonly signature: ServedSignature,
    /** Largest batch one request carries (Triton's max_batch_size). */
    private readonly maxBatch: number,
  ) {
    this.channels = signature.channels;
  }

  /** Connects and checks the model's metadata before anything is sent. */
  static async connect(opts: KserveOptions & { expectChannels?: number; maxBatch?: number }): Promise<KserveEngine> {
    const client = new KserveClient(opts);
    const md = await client.metadata();
    const sig = checkServedModel(md, `model '${opts.model}' on ${client.base}`, opts.expectChannels);
    return new KserveEngine(client, sig, opts.maxBatch ?? 16);
  }

  get base(): string {
    return this.client.base;
  }

  async forward(x: Float32Array, n: number, h: number, w: number): Promise<Float32Array> {
    const fixed = this.signature.fixedSize;
    if (fixed !== null && (h !== fixed || w !== fixed)) throw new KserveError(`the served model takes ${fixed}x${fixed} images, got ${h}x${w}`, false);
    const px = h * w;
    const out = new Float32Array(n * px * this.channels);
    for (let s = 0; s < n; s += this.maxBatch) {
      const b = Math.min(this.maxBatch, n - s);
      const r = await this.client.infer({ name: this.signature.inputName, shape: [b, h, w, 3], data: x.subarray(s * px * 3, (s + b) * px * 3) }, this.signature.outputName);
      if (r.shape.join('x') !== [b, h, w, this.channels].join('x')) throw new KserveError(`output shape [${r.shape.join(', ')}], expected [${b}, ${h}, ${w}, ${this.channels}]`, false);
      out.set(r.data, s * px * this.channels);
    }
    return out;
  }

  dispose(): void {
    // Stateless HTTP: nothing to release.
  }
}
