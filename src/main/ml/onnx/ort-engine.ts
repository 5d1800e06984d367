// The ONNX Runtime engine: a ProbabilityEngine over an onnxruntime-node session (CPU). The
// graph comes from a stored model (exported in memory, so any registry version runs on it)
// or from an .onnx file, which is checked first (shape, classes) with a clear message.
import type * as Ort from 'onnxruntime-node';
import type { ProbabilityEngine } from '../inference/probability-engine';
import type { OnnxModelMeta } from './onnx-metadata';
import { checkSegmentationModel, readModelInfo } from './onnx-model';
import { ORT_ENGINE_NAME } from './ort-engine-name';
import { ortSessionOptions, readOnnxFile } from './ort-session-setup';

export { ORT_ENGINE_NAME };

type OrtModule = typeof Ort;
let ortModule: Promise<OrtModule> | null = null;

/** onnxruntime-node, loaded on first use (a native addon: it may be missing or fail to load). */
export function loadOrt(): Promise<OrtModule> {
  ortModule ??= import('onnxruntime-node').then(
    (m) => ((m as { default?: OrtModule }).default?.InferenceSession ? (m as { default: OrtModule }).default : m),
    (err: unknown) => {
      ortModule = null;
      throw new Error(`onnxruntime-node could not be loaded (${err instanceof Error ? err.message.split('\n')[0] : String(err)})`);
    },
  );
  return ortModule;
}

/** onnxruntime-node's version, or null when it does not load. */
export async function ortVersion(): Promise<string | null> {
  try {
    const ort = await loadOrt();
    return ort.env.versions?.node ?? ort.env.versions?.common ?? 'unknown';
  } catch {
    return null;
  }
}

export interface OrtEngineOptions {
  /** Threads inside one inference (default: every CPU). */
  intraOpThreads?: number;
  /** Shown in errors, e.g. the file name or the model ref. */
  label?: string;
}

export class OrtEngine implements ProbabilityEngine {
  readonly name = ORT_ENGINE_NAME;
  readonly channels: number;
  readonly sizeMultiple: number;

  private constructor(
    private readonly ort: OrtModule,
    private readonly session: Ort.InferenceSession,
    readonly meta: OnnxModelMeta,
    private readonly inputName: string,
    private readonly outputName: string,
  ) {
    this.channels = meta.channels;
    this.sizeMultiple = meta.sizeMultiple;
  }

  /** A session over ONNX bytes, after checking the model is a segmentation network HemaSeg can feed. */
  static async create(bytes: Uint8Array, opts: OrtEngineOptions = {}): Promise<OrtEngine> {
    const label = opts.label ?? 'ONNX model';
    const checked = checkSegmentationModel(readModelInfo(bytes, label), label);
    const ort = await loadOrt();
    let session: Ort.InferenceSession;
    try {
      session = await ort.InferenceSession.create(bytes, ortSessionOptions(opts.intraOpThreads));
    } catch (err) {
      throw new Error(`${label}: ONNX Runtime refused the model (${(err as Error).message.split('\n')[0]})`);
    }
    return new OrtEngine(ort, session, checked, checked.inputName, checked.outputName);
  }

  static async fromFile(file: string, opts: OrtEngineOptions = {}): Promise<OrtEngine> {
    return OrtEngine.create(readOnnxFile(file), { ...opts, label: opts.label ?? file });
  }

  async forward(x: Float32Array, n: number, h: number, w: number): Promise<Float32Array> {
    if (x.length !== n * h * w * 3) throw new Error(`ONNX engine: input has ${x.length} values, expected ${n}x${h}x${w}x3`);
    if (h % this.sizeMultiple || w % this.sizeMultiple) throw new Error(`ONNX engine: ${h}x${w} is not a multiple of ${this.sizeMultiple}`);
    const input = new this.ort.Tensor('float32', x, [n, h, w, 3]);
    const out = await this.session.run({ [this.inputName]: input });
    const t = out[this.outputName];
    const expected = n * h * w * this.channels;
    if (!t || !(t.data instanceof Float32Array) || t.data.length !== expected) {
      throw new Error(`ONNX engine: output '${this.outputName}' has ${t ? t.dims.join('x') : 'no data'}, expected ${n}x${h}x${w}x${this.channels}`);
    }
    return t.data;
  }

  dispose(): void {
    void this.session.release().catch(() => undefined);
  }
}
