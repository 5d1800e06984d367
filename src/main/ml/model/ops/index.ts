// Layer ops of the SegNet / DeconvNet / LSTM-CNN families beyond the U-Net's (see README.md).
export { maxPoolWithSwitches, type PoolOptions, type PoolSwitches } from './max-pool-switches';
export { maxUnpool } from './max-unpool';
export { convTranspose2d, type ConvTransposeOptions } from './conv-transpose';
export { upsampleBilinear, resizeBilinear, type BilinearOptions } from './upsample-bilinear';
export { leakyRelu } from './leaky-relu';
export { dilatedConv2d } from './dilated-conv';
