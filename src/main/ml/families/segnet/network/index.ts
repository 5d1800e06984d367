// Worker side of the SegNet family: loaded only through segnetFamily.network().
import type { FamilyNetworkBuilder } from '../../family';
import type { SegnetConfig } from '../config';
import { createSegnet } from './segnet';

export const segnetNetwork: FamilyNetworkBuilder<SegnetConfig> = {
  create: (config, seed) => createSegnet(config, seed),
};
