// Parameter counts of the layers the SegNet and DeconvNet families build (main-side safe:
// `hemaseg families` and the train form show them without building a network).
import type { ModelTask } from '../../../shared/domain';
import { outputChannels } from './common-config';

/** K x K conv without bias + batch-norm gamma and beta (running statistics do not train). */
export function convBnParamCount(k: number, cin: number, cout: number): number {
  return k * k * cin * cout + 2 * cout;
}

/** The 1x1 output convolution with bias. */
export function headParamCount(cin: number, task: ModelTask): number {
  const out = outputChannels(task);
  return cin * out + out;
}
