import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { PALETTES } from '../../shared/core/palettes';
import { LABEL } from '../../shared/domain';
import { renderMaskPng } from './mask-render';

async function pixels(png: Uint8Array): Promise<Uint8Array> {
  const { data } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
  return new Uint8Array(data);
}

describe('renderMaskPng', () => {
  // A 5x5 nucleus in the middle of a 7x7 cytoplasm block: outline pixels of both classes.
  const labels = new Uint8Array(49).fill(LABEL.cytoplasm);
  for (let y = 1; y < 6; y++) for (let x = 1; x < 6; x++) labels[y * 7 + x] = LABEL.nucleus;
  const mask = { width: 7, height: 7, labels };

  it('draws the classes in the chosen palette, the same table as the editor', async () => {
    for (const palette of ['default', 'colorblind', 'high-contrast'] as const) {
      const px = await pixels(await renderMaskPng(mask, 'overlay', palette));
      const at = (x: number, y: number): number[] => [...px.slice((y * 7 + x) * 4, (y * 7 + x) * 4 + 3)];
      expect(at(0, 0)).toEqual([...PALETTES[palette][LABEL.cytoplasm]]);
      expect(at(3, 3)).toEqual([...PALETTES[palette][LABEL.nucleus]]);
    }
  });

  it('outline style leaves region interiors transparent', async () => {
    const px = await pixels(await renderMaskPng(mask, 'outline', 'default'));
    expect(px[(3 * 7 + 3) * 4 + 3]).toBe(0); // nucleus centre
    expect(px[(1 * 7 + 1) * 4 + 3]).toBe(255); // nucleus boundary
  });
});
