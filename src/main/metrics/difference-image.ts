// The difference images live in the domain core so the Compare view paints the same pixels.
export { differenceCounts, differenceImage } from '../../shared/core/difference-image';
