// Gradients for the kernels the U-Net and its losses put on the tape.
//
// Why this file exists: @tensorflow/tfjs-core registers no gradients by itself (the
// @tensorflow/tfjs umbrella does, through an ESM-only side-effect module that Node cannot
// load from tfjs-core's CJS build), and the umbrella is not a dependency. So without these,
// tf.variableGrads fails with "gradient function not found". Registration skips any kernel
// that already has a gradient (e.g. when tfjs-node brings the umbrella), so the official
// ones win where present. Each function is the textbook derivative; broadcasting binary ops
// sum the gradient over the broadcast axes.
import * as tf from '@tensorflow/tfjs-core';
import { getGradient, registerGradient, type GradConfig, type NamedAttrMap, type Tensor } from '@tensorflow/tfjs-core';
import { dilatedConvFilterGrad, dilatedConvInputGrad, type DilatedConvAttrs } from './dilated-conv-grad';
import { OP_GRADIENTS } from './op-gradients';

type Grads = Record<string, () => Tensor>;

/** Sums `dy` down to `shape` (undoing broadcasting). */
function unbroadcast(dy: Tensor, shape: number[]): Tensor {
  const axes = tf.broadcast_util.getReductionAxes(shape, dy.shape);
  let r = dy;
  if (axes.length > 0) r = tf.sum(dy, axes);
  return tf.reshape(r, shape);
}

function floatMask(t: Tensor): Tensor {
  return tf.cast(t, 'float32');
}

/** dy broadcast back over reduced axes (no Tile: a broadcasting multiply by ones). */
function expandReduced(dy: Tensor, xShape: number[], axes: number[]): Tensor {
  const shape = xShape.slice();
  for (const a of axes) shape[a] = 1;
  return tf.mul(tf.reshape(dy, shape), tf.ones(xShape, 'float32'));
}

function axesOf(attrs: NamedAttrMap, key: string, shape: number[]): number[] {
  return tf.util.parseAxisParam(attrs[key] as number | number[], shape);
}

function unary(kernelName: string, f: (dy: Tensor, x: Tensor, y: Tensor | undefined) => Tensor, saveOutput = false): GradConfig {
  return {
    kernelName,
    inputsToSave: ['x'],
    outputsToSave: saveOutput ? [true] : undefined,
    gradFunc: (dy, saved): Grads => ({ x: () => f(dy as Tensor, saved[0], saved[1]) }),
  };
}

function binary(kernelName: string, f: (dy: Tensor, a: Tensor, b: Tensor) => [Tensor, Tensor]): GradConfig {
  return {
    kernelName,
    inputsToSave: ['a', 'b'],
    gradFunc: (dy, saved): Grads => {
      const [a, b] = saved;
      return {
        a: () => unbroadcast(f(dy as Tensor, a, b)[0], a.shape),
        b: () => unbroadcast(f(dy as Tensor, a, b)[1], b.shape),
      };
    },
  };
}

export const CORE_GRADIENTS: GradConfig[] = [
  // Element-wise unary.
  unary('Relu', (dy, x) => tf.mul(dy, floatMask(tf.greater(x, 0)))),
  unary('Exp', (dy, _x, y) => tf.mul(dy, y as Tensor), true),
  unary('Log', (dy, x) => tf.div(dy, x)),
  unary('Log1p', (dy, x) => tf.div(dy, tf.add(x, 1))),
  unary('Neg', (dy) => tf.neg(dy)),
  unary('Abs', (dy, x) => tf.mul(dy, tf.sign(x))),
  unary('Square', (dy, x) => tf.mul(dy, tf.mul(x, 2))),
  unary('Sqrt', (dy, _x, y) => tf.div(dy, tf.mul(y as Tensor, 2)), true),
  unary('Rsqrt', (dy, x) => tf.mul(dy, tf.mul(tf.pow(x, -1.5), -0.5))),
  unary('Reciprocal', (dy, x) => tf.neg(tf.div(dy, tf.square(x)))),
  unary('Sigmoid', (dy, _x, y) => tf.mul(dy, tf.mul(y as Tensor, tf.sub(1, y as Tensor))), true),
  unary('Tanh', (dy, _x, y) => tf.mul(dy, tf.sub(1, tf.square(y as Tensor))), true),
  unary('Softplus', (dy, x) => tf.mul(dy, tf.sigmoid(x))),
  unary('Step', (dy) => tf.zerosLike(dy)),
  unary('Floor', (dy) => tf.zerosLike(dy)),
  unary('Round', (dy) => tf.zerosLike(dy)),
  unary('Sign', (dy) => tf.zerosLike(dy)),
  unary('Identity', (dy) => dy),
  {
    kernelName: 'Cast',
    inputsToSave: ['x'],
    gradFunc: (dy, saved): Grads => ({ x: () => tf.cast(dy as Tensor, saved[0].dtype) }),
  },
  {
    kernelName: 'ClipByValue',
    inputsToSave: ['x'],
    gradFunc: (dy, saved, attrs): Grads => {
      const x = saved[0];
      const inside = tf.logicalAnd(tf.greaterEqual(x, attrs.clipValueMin as number), tf.lessEqual(x, attrs.clipValueMax as number));
      return { x: () => tf.mul(dy as Tensor, floatMask(inside)) };
    },
  },
  // Element-wise binary, with broadcasting.
  binary('Add', (dy) => [dy, dy]),
  binary('Sub', (dy) => [dy, tf.neg(dy)]),
  binary('Multiply', (dy, a, b) => [tf.mul(dy, b), tf.mul(dy, a)]),
  binary('RealDiv', (dy, a, b) => [tf.div(dy, b), tf.neg(tf.div(tf.mul(dy, a), tf.square(b)))]),
  binary('Maximum', (dy, a, b) => [tf.mul(dy, floatMask(tf.greaterEqual(a, b))), tf.mul(dy, floatMask(tf.less(a, b)))]),
  binary('Minimum', (dy, a, b) => [tf.mul(dy, floatMask(tf.lessEqual(a, b))), tf.mul(dy, floatMask(tf.greater(a, b)))]),
  binary('SquaredDifference', (dy, a, b) => {
    const d = tf.mul(tf.sub(a, b), 2);
    return [tf.mul(dy, d), tf.neg(tf.mul(dy, d))];
  }),
  {
    kernelName: 'AddN',
    saveAllInputs: true,
    gradFunc: (dy, saved) => {
      const out: Grads = {};
      saved.forEach((_, i) => (out[i] = () => tf.clone(dy as Tensor)));
      return out;
    },
  },
  // Reductions.
  {
    kernelName: 'Sum',
    inputsToSave: ['x'],
    gradFunc: (dy, saved, attrs): Grads => {
      const x = saved[0];
      return { x: () => expandReduced(dy as Tensor, x.shape, axesOf(attrs, 'axis', x.shape)) };
    },
  },
  {
    kernelName: 'Mean',
    inputsToSave: ['x'],
    gradFunc: (dy, saved, attrs): Grads => {
      const x = saved[0];
      const axes = axesOf(attrs, 'axis', x.shape);
      const count = axes.reduce((n, a) => n * x.shape[a], 1);
      return { x: () => tf.div(expandReduced(dy as Tensor, x.shape, axes), count) };
    },
  },
  ...([
    ['Max', 'reductionIndices'],
    ['Min', 'axis'],
  ] as const).map(
    ([kernelName, axisAttr]): GradConfig => ({
      kernelName,
      inputsToSave: ['x'],
      outputsToSave: [true],
      gradFunc: (dy, saved, attrs): Grads => {
        const [x, y] = saved;
        const axes = axesOf(attrs, axisAttr, x.shape);
        const keep = x.shape.slice();
        for (const a of axes) keep[a] = 1;
        // Gradient goes to every position equal to the extreme value (as tfjs does).
        return { x: () => tf.mul(expandReduced(dy as Tensor, x.shape, axes), floatMask(tf.equal(x, tf.reshape(y, keep)))) };
      },
    }),
  ),
  // Shape manipulation.
  {
    kernelName: 'Reshape',
    inputsToSave: ['x'],
    gradFunc: (dy, saved): Grads => ({ x: () => tf.reshape(dy as Tensor, saved[0].shape) }),
  },
  {
    kernelName: 'Transpose',
    gradFunc: (dy, _saved, attrs): Grads => {
      const perm = attrs.perm as number[];
      const undo = perm.map((_, i) => perm.indexOf(i));
      return { x: () => tf.transpose(dy as Tensor, undo) };
    },
  },
  {
    kernelName: 'Concat',
    saveAllInputs: true,
    gradFunc: (dy, saved, attrs) => {
      const axis = tf.util.parseAxisParam(attrs.axis as number, saved[0].shape)[0];
      const parts = tf.split(dy as Tensor, saved.map((t) => t.shape[axis]), axis);
      const out: Grads = {};
      parts.forEach((p, i) => (out[i] = () => p));
      return out;
    },
  },
  {
    kernelName: 'Slice',
    inputsToSave: ['x'],
    gradFunc: (dy, saved, attrs): Grads => {
      const x = saved[0];
      const [begin, size] = tf.slice_util.parseSliceParams(x, attrs.begin as number[], attrs.size as number[]);
      const pads = x.shape.map((d, i) => [begin[i], d - begin[i] - size[i]] as [number, number]);
      return { x: () => tf.pad(dy as Tensor, pads) };
    },
  },
  {
    kernelName: 'Tile',
    inputsToSave: ['x'],
    gradFunc: (dy, saved, attrs): Grads => {
      const x = saved[0];
      const reps = attrs.reps as number[];
      // View dy as [r0, d0, r1, d1, ...] and sum the repetition axes.
      const split: number[] = [];
      x.shape.forEach((d, i) => split.push(reps[i], d));
      const axes = x.shape.map((_, i) => 2 * i);
      return { x: () => tf.reshape(tf.sum(tf.reshape(dy as Tensor, split), axes), x.shape) };
    },
  },
  {
    kernelName: 'PadV2',
    inputsToSave: ['x'],
    gradFunc: (dy, saved, attrs): Grads => {
      const x = saved[0];
      const paddings = attrs.paddings as Array<[number, number]>;
      return { x: () => tf.slice(dy as Tensor, paddings.map((p) => p[0]), x.shape) };
    },
  },
  {
    kernelName: 'GatherV2',
    inputsToSave: ['x', 'indices'],
    gradFunc: (dy, saved, attrs): Grads => {
      const [x, indices] = saved;
      const axis = tf.util.parseAxisParam(attrs.axis as number, x.shape)[0];
      if (axis !== 0 || x.rank !== 1 || (attrs.batchDims as number) > 0) {
        throw new Error('GatherV2 gradient is implemented for 1-D params only');
      }
      return {
        x: () => tf.unsortedSegmentSum(tf.reshape(dy as Tensor, [-1]), tf.reshape(tf.cast(indices, 'int32'), [-1]), x.shape[0]),
        indices: () => tf.zerosLike(indices),
      };
    },
  },
  // Neural-network kernels.
  {
    kernelName: 'Conv2D',
    inputsToSave: ['x', 'filter'],
    gradFunc: (dy, saved, attrs): Grads => {
      const [x, filter] = saved;
      const { strides, pad, dataFormat, dimRoundingMode, dilations } = attrs as unknown as tf.Conv2DAttrs;
      if (!tf.backend_util.tupleValuesAreOne(dilations)) {
        // Dilated (atrous) convolution: stride 1, gradients as ordinary convolutions.
        const a = { pad, dilations, dimRoundingMode } as DilatedConvAttrs;
        if (dataFormat === 'NCHW') throw new Error('Conv2D gradient: dilations > 1 need NHWC');
        return {
          x: () => dilatedConvInputGrad(dy as tf.Tensor4D, filter as tf.Tensor4D, x.shape, a),
          filter: () => dilatedConvFilterGrad(x as tf.Tensor4D, dy as tf.Tensor4D, filter.shape, a),
        };
      }
      return {
        x: () =>
          tf.engine().runKernel('Conv2DBackpropInput', { dy: dy as Tensor, filter }, {
            strides, pad, dataFormat, dimRoundingMode, inputShape: x.shape,
          } as unknown as NamedAttrMap) as Tensor,
        filter: () =>
          tf.engine().runKernel('Conv2DBackpropFilter', { x, dy: dy as Tensor }, {
            strides, pad, dataFormat, dimRoundingMode, filterShape: filter.shape,
          } as unknown as NamedAttrMap) as Tensor,
      };
    },
  },
  {
    kernelName: 'MaxPool',
    inputsToSave: ['x'],
    outputsToSave: [true],
    gradFunc: (dy, saved, attrs): Grads => {
      const [x, y] = saved;
      const { filterSize, strides, pad, dimRoundingMode } = attrs as unknown as tf.MaxPoolAttrs;
      return {
        x: () =>
          tf.engine().runKernel('MaxPoolGrad', { dy: dy as Tensor, input: x, output: y }, {
            filterSize, strides, pad, dimRoundingMode,
          } as unknown as NamedAttrMap) as Tensor,
      };
    },
  },
  {
    kernelName: 'ResizeNearestNeighbor',
    inputsToSave: ['images'],
    gradFunc: (dy, saved, attrs): Grads => ({
      images: () => tf.engine().runKernel('ResizeNearestNeighborGrad', { images: saved[0], dy: dy as Tensor }, attrs) as Tensor,
    }),
  },
  {
    kernelName: 'BatchMatMul',
    inputsToSave: ['a', 'b'],
    gradFunc: (dy, saved, attrs): Grads => {
      const [a, b] = saved;
      const g = dy as Tensor;
      const tA = attrs.transposeA as boolean;
      const tB = attrs.transposeB as boolean;
      if (!tA && !tB) return { a: () => tf.matMul(g, b, false, true), b: () => tf.matMul(a, g, true, false) };
      if (!tA && tB) return { a: () => tf.matMul(g, b, false, false), b: () => tf.matMul(g, a, true, false) };
      if (tA && !tB) return { a: () => tf.matMul(b, g, false, true), b: () => tf.matMul(a, g, false, false) };
      return { a: () => tf.matMul(b, g, true, true), b: () => tf.matMul(g, a, true, true) };
    },
  },
];

let registered = false;

/** Registers CORE_GRADIENTS and OP_GRADIENTS for kernels that have none yet (the project's Hema* kernels always). Idempotent. */
export function registerCoreGradients(): void {
  if (registered) return;
  for (const config of [...CORE_GRADIENTS, ...OP_GRADIENTS]) {
    if (!getGradient(config.kernelName) || config.kernelName.startsWith('Hema')) registerGradient(config);
  }
  registered = true;
}
