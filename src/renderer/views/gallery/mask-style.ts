// How gallery tiles draw their mask: outlines (default) or filled overlay; Z toggles it.
import { createStore } from '../../state/store';

export type TileMaskStyle = 'outline' | 'overlay';
export const tileMaskStyle = createStore<TileMaskStyle>('outline');
export const toggleTileMaskStyle = (): void => tileMaskStyle.set((s) => (s === 'outline' ? 'overlay' : 'outline'));
