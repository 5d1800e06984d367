// Registers the project's kernels, one per file, by name (as tfjs does per backend):
//  - wasm training kernels the stock backend lacks or runs slowly (conv gradients, max-pool
//    gradient, channel concat/split, a copy-free Identity);
//  - gradients tfjs-core alone lacks (see gradients.ts);
//  - the project's own fused kernels (batch norm + ReLU and its gradient, the phase
//    interleave of the up-convolution, dropout, the Adam update, the gradient norm), for wasm and,
//    with the same code, for cpu.
// Must run before a backend is set up so kernels with setup functions get them called;
// calling it again is a no-op.
import { getKernel, registerGradient, registerKernel, unregisterKernel, type KernelConfig } from '@tensorflow/tfjs-core';
import { adamUpdateConfigs } from './AdamUpdate';
import { bnReluGradConfigs } from './BnReluGrad';
import { bnReluTrainConfigs, bnReluTrainGradConfig } from './BnReluTrain';
import { concatConfig } from './Concat';
import { conv2DBackpropFilterConfig } from './Conv2DBackpropFilter';
import { conv2DBackpropInputConfig } from './Conv2DBackpropInput';
import { depthToSpaceConfig } from './DepthToSpace';
import { dropoutConfigs } from './Dropout';
import { identityConfig } from './Identity';
import { leakyReluConfig } from './LeakyRelu';
import { leakyReluGradConfigs } from './LeakyReluGrad';
import { maxPoolGradConfig } from './MaxPoolGrad';
import { maxPoolWithArgmaxConfig } from './MaxPoolWithArgmax';
import { maxUnpoolConfigs } from './MaxUnpool';
import { maxUnpoolGradConfigs } from './MaxUnpoolGrad';
import { phaseInterleaveConfigs } from './PhaseInterleave';
import { phaseInterleaveGradConfigs } from './PhaseInterleaveGrad';
import { phaseSplitConfigs } from './PhaseSplit';
import { resizeBilinearGradConfigs } from './ResizeBilinearGrad';
import { splitVConfig } from './SplitV';
import { sumSquaresConfigs } from './SumSquares';
import { registerCoreGradients } from './gradients';
import { rememberStockKernel } from './wasmKernelUtil';

/** Every kernel the project registers (stock kernels of the same name are replaced). */
export const PROJECT_KERNELS: readonly KernelConfig[] = [
  conv2DBackpropFilterConfig,
  conv2DBackpropInputConfig,
  maxPoolGradConfig,
  concatConfig,
  identityConfig,
  splitVConfig,
  ...bnReluTrainConfigs,
  ...bnReluGradConfigs,
  ...phaseInterleaveConfigs,
  ...phaseInterleaveGradConfigs,
  ...dropoutConfigs,
  ...adamUpdateConfigs,
  ...sumSquaresConfigs,
  // Ops of the SegNet / DeconvNet / LSTM families (pooling switches, unpooling, the
  // transposed convolution's depth-to-space, bilinear up-sampling's and leaky ReLU's gradients,
  // the dilated convolution's phase split).
  maxPoolWithArgmaxConfig,
  depthToSpaceConfig,
  ...maxUnpoolConfigs,
  ...maxUnpoolGradConfigs,
  ...resizeBilinearGradConfigs,
  leakyReluConfig,
  ...leakyReluGradConfigs,
  ...phaseSplitConfigs,
];

let registered = false;

export function registerProjectKernels(): void {
  if (registered) return;
  registerCoreGradients();
  registerGradient(bnReluTrainGradConfig);
  for (const config of PROJECT_KERNELS) {
    const stock = getKernel(config.kernelName, config.backendName);
    let toRegister = config;
    if (stock) {
      if (config.backendName === 'wasm') rememberStockKernel(config.kernelName);
      unregisterKernel(config.kernelName, config.backendName);
      // Our kernels fall back to the stock one, whose setup (wasm function binding) must
      // still run when the backend is set up.
      const stockSetup = stock.setupFunc;
      const ownSetup = config.setupFunc;
      if (stockSetup) {
        toRegister = {
          ...config,
          setupFunc: (backend) => {
            stockSetup(backend);
            ownSetup?.(backend);
          },
        };
      }
    }
    registerKernel(toRegister);
  }
  registered = true;
}

/** True when the active backend has the project's fused kernels (wasm, cpu). */
export function hasProjectKernels(backendName: string): boolean {
  return registered && getKernel('HemaBnReluTrain', backendName) !== undefined;
}
