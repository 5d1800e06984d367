// Class colours per overlay palette: the editor's canvases and the server's rendered masks
// (gallery tiles, Compare thumbnails) draw with the same table, so a palette chosen in
// Settings looks the same everywhere. Pure data; main and renderer both import it.
import type { OverlayPalette } from '../domain';

export type Rgb = readonly [number, number, number];

/**
 * Indexed by label value (background, cytoplasm, nucleus, edge). The default keeps away from
 * yellow and amber, which vanish on yellowish smear backgrounds (wbc-dataset1): green
 * cytoplasm, blue nucleus (the complement of yellow), vermillion edges. High contrast is fully
 * saturated; the colour-blind palette uses Okabe-Ito colours that stay distinct under the
 * common colour-vision deficiencies.
 */
export const PALETTES: Record<OverlayPalette, readonly Rgb[]> = {
  default: [
    [0, 0, 0],
    [30, 200, 90], // cytoplasm: green
    [40, 90, 255], // nucleus: blue
    [255, 70, 20], // edge: vermillion
  ],
  'high-contrast': [
    [0, 0, 0],
    [0, 255, 0],
    [255, 0, 255],
    [0, 255, 255],
  ],
  colorblind: [
    [0, 0, 0],
    [0, 114, 178], // blue
    [213, 94, 0], // vermillion
    [0, 158, 115], // bluish green
  ],
};
