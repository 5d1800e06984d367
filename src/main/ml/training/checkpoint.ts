// A training checkpoint (training_runs.checkpoint), written after every epoch: the current
// weights, Adam's state, the best weights so far (early stopping keeps them), the epoch,
// the RNG state and the bookkeeping a resumed run needs to continue exactly where the
// killed one stopped. Layout: 'HSCK', u32 format, u32 JSON length, JSON, float32 payload.
import type { TrainPoint } from '../../../shared/ml';
import type { NamedArray } from './network';
import type { EarlyStoppingState } from './early-stopping';

export interface CheckpointState {
  /** Epochs completed (the resumed run starts at this epoch index). */
  epoch: number;
  rngState: number;
  /** Training seconds spent so far (the --minutes budget spans resumes). */
  trainingSeconds: number;
  bestEpoch: number | null;
  bestValLoss: number | null;
  bestMetrics: Record<string, number>;
  epochsWithoutImprovement: number;
  curves: TrainPoint[];
  stepsDone: number;
  /**
   * Step-level bookkeeping of validation every K steps and of the stopping rule
   * (./early-stopping.ts). Absent in checkpoints written before it: the trainer derives it
   * from bestValLoss / bestEpoch / epochsWithoutImprovement, so they still resume.
   */
  stopping?: EarlyStoppingState;
  /** Global step of the best validation. */
  bestStep?: number | null;
  /** Training loss summed since the last validation (the next validation point's `loss`). */
  sinceValidation?: { lossSum: number; steps: number };
}

export interface Checkpoint {
  state: CheckpointState;
  weights: NamedArray[];
  optimizer: NamedArray[];
  best: NamedArray[] | null;
}

const MAGIC = 0x4b435348; // 'HSCK' little-endian
const FORMAT = 1;

type Spec = { name: string; shape: number[]; length: number };

export function encodeCheckpoint(c: Checkpoint): Uint8Array {
  const groups = { weights: c.weights, optimizer: c.optimizer, best: c.best ?? [] };
  const specs: Record<string, Spec[]> = {};
  let floats = 0;
  for (const [k, list] of Object.entries(groups)) {
    specs[k] = list.map((a) => ({ name: a.name, shape: a.shape, length: a.data.length }));
    floats += list.reduce((s, a) => s + a.data.length, 0);
  }
  const json = Buffer.from(JSON.stringify({ state: c.state, specs, hasBest: c.best !== null }), 'utf8');
  const headerBytes = 12 + json.length;
  const pad = (4 - (headerBytes % 4)) % 4;
  const out = new Uint8Array(headerBytes + pad + floats * 4);
  const view = new DataView(out.buffer);
  view.setUint32(0, MAGIC, true);
  view.setUint32(4, FORMAT, true);
  view.setUint32(8, json.length, true);
  out.set(json, 12);
  const payload = new Float32Array(out.buffer, headerBytes + pad, floats);
  let o = 0;
  for (const list of Object.values(groups)) {
    for (const a of list) {
      payload.set(a.data, o);
      o += a.data.length;
    }
  }
  return out;
}

export function decodeCheckpoint(bytes: Uint8Array): Checkpoint {
  const copy = bytes.slice(); // aligned, owned buffer
  const view = new DataView(copy.buffer);
  if (copy.length < 12 || view.getUint32(0, true) !== MAGIC) throw new Error('not a HemaSeg training checkpoint');
  if (view.getUint32(4, true) !== FORMAT) throw new Error(`checkpoint format ${view.getUint32(4, true)} is not supported`);
  const jsonLen = view.getUint32(8, true);
  const meta = JSON.parse(Buffer.from(copy.subarray(12, 12 + jsonLen)).toString('utf8')) as {
    state: CheckpointState;
    specs: Record<'weights' | 'optimizer' | 'best', Spec[]>;
    hasBest: boolean;
  };
  const headerBytes = 12 + jsonLen;
  const pad = (4 - (headerBytes % 4)) % 4;
  const payload = new Float32Array(copy.buffer, headerBytes + pad, (copy.length - headerBytes - pad) / 4);
  let o = 0;
  const take = (specs: Spec[]): NamedArray[] =>
    specs.map((s) => {
      const a = { name: s.name, shape: s.shape, data: payload.subarray(o, o + s.length) };
      o += s.length;
      return a;
    });
  const weights = take(meta.specs.weights);
  const optimizer = take(meta.specs.optimizer);
  const best = take(meta.specs.best);
  if (o !== payload.length) throw new Error('checkpoint payload size does not match its header');
  return { state: meta.state, weights, optimizer, best: meta.hasBest ? best : null };
}
