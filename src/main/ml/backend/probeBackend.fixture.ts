// Child-process fixture for initBackend.test.ts: initialises wasm, runs one convolution and
// prints the backend info. Deliberately never calls process.exit: the test checks that the
// process ends by itself (the threaded build's idle pthread pool must not keep it alive).
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from './initBackend';

void initBackend('wasm').then((info) => {
  tf.conv2d(tf.ones([1, 8, 8, 4]) as tf.Tensor4D, tf.ones([3, 3, 4, 4]) as tf.Tensor4D, 1, 'same').dataSync();
  console.log(JSON.stringify(info));
});
