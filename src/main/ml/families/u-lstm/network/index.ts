// Worker side of the U-LSTM family (TensorFlow.js code), loaded only through
// uLstmFamily.network() / loadULstmNetworkModule(), i.e. where TensorFlow runs.
import type { FamilyNetworkBuilder } from '../../family';
import type { ULstmConfig } from '../config';
import { createULstm } from './u-lstm';

export const uLstmNetwork: FamilyNetworkBuilder<ULstmConfig> = {
  create: (config, seed) => createULstm(config, seed),
};
export { createULstm, type ULstmNetwork, type ULstmState } from './u-lstm';
export * from './training';
export { trainAndSegmentSequences, type SequenceTrainRequest, type SequenceTrainResult } from './sequence-runner';
