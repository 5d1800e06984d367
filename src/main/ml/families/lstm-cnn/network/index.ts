// Worker side of the LSTM-CNN family (this folder: TensorFlow.js code), loaded only through
// lstmCnnFamily.network(), i.e. in the ML worker.
import type { FamilyNetworkBuilder } from '../../family';
import type { LstmCnnConfig } from '../config';
import { createLstmCnn } from './lstm-cnn';

export const lstmCnnNetwork: FamilyNetworkBuilder<LstmCnnConfig> = {
  create: (config, seed) => createLstmCnn(config, seed),
};
