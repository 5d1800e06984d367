// Adam with a fused update kernel. Same state layout and behaviour as tf.AdamOptimizer (it is
// one: getWeights/setWeights, checkpoints and the other engineer's code keep working); only
// applyGradients changes, to one HemaAdamUpdate launch per variable where the backend has the
// project kernels, instead of ~15 element-wise kernels (launch overhead dominates for the
// U-Net's 70 small variables).
import * as tf from '@tensorflow/tfjs-core';
import { ADAM_UPDATE } from '../kernels/AdamUpdate';
import { hasProjectKernels } from '../kernels/registerWasmKernels';

interface Slot {
  originalName: string;
  variable: tf.Variable;
}

/** tf.AdamOptimizer's private state (tfjs-core 4.22), accessed by name. */
interface AdamState {
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  accBeta1: tf.Variable;
  accBeta2: tf.Variable;
  accumulatedFirstMoment: Slot[];
  accumulatedSecondMoment: Slot[];
  iterations: number;
  incrementIterations(): void;
}

type GradList = Parameters<tf.AdamOptimizer['applyGradients']>[0];

export class FusedAdamOptimizer extends tf.AdamOptimizer {
  override applyGradients(variableGradients: GradList): void {
    if (!hasProjectKernels(tf.getBackend())) {
      super.applyGradients(variableGradients);
      return;
    }
    const s = this as unknown as AdamState;
    const list = Array.isArray(variableGradients)
      ? variableGradients
      : Object.keys(variableGradients).map((name) => ({ name, tensor: variableGradients[name] as tf.Tensor }));
    const t = s.iterations + 1;
    const attrs = {
      lr: s.learningRate,
      beta1: s.beta1,
      beta2: s.beta2,
      epsilon: s.epsilon,
      c1: 1 - Math.pow(s.beta1, t),
      c2: 1 - Math.pow(s.beta2, t),
    };
    tf.tidy(() => {
      list.forEach(({ name, tensor: g }, i) => {
        const value = tf.engine().registeredVariables[name];
        // Slots are created exactly as tf.AdamOptimizer does, matched by position.
        s.accumulatedFirstMoment[i] ??= { originalName: `${name}/m`, variable: tf.tidy(() => tf.zerosLike(value).variable(false)) };
        s.accumulatedSecondMoment[i] ??= { originalName: `${name}/v`, variable: tf.tidy(() => tf.zerosLike(value).variable(false)) };
        if (g == null) return;
        const m = s.accumulatedFirstMoment[i].variable;
        const v = s.accumulatedSecondMoment[i].variable;
        const [x2, m2, v2] = tf.engine().runKernel(ADAM_UPDATE, { x: value, m, v, g }, attrs) as tf.Tensor[];
        m.assign(m2);
        v.assign(v2);
        value.assign(x2);
      });
      s.accBeta1.assign(tf.mul(s.accBeta1, s.beta1));
      s.accBeta2.assign(tf.mul(s.accBeta2, s.beta2));
    });
    s.incrementIterations();
  }
}
