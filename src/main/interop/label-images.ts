// Mask images, one per image: label index images (uint8, one channel, the label values
// themselves: 0 background, 1 cytoplasm, 2 nucleus, 3 edge, as napari, ilastik and Fiji read
// label layers) as TIFF or PNG, and the gray3 / rgb colour conventions HemaSeg imports.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import type { MaskConvention } from '../../shared/domain';
import { maskToImage } from '../imaging/mask-convention';
import type { ExportItem, ExportContext, InteropExporter } from './format';
import type { InteropFormat } from '../../shared/api';
import { completeInstances } from './cell-regions';

async function writeEach(
  items: Iterable<ExportItem>,
  target: string,
  ctx: ExportContext,
  ext: string,
  encode: (item: ExportItem) => Promise<Buffer>,
): Promise<{ files: string[]; cells: number }> {
  const files: string[] = [];
  let cells = 0;
  for (const item of items) {
    const file = `${ctx.stemOf(item.image)}${ext}`;
    writeFileSync(join(target, file), await encode(item));
    files.push(file);
    cells += completeInstances(item.mask).count;
  }
  return { files, cells };
}

function labelIndexFormat(id: InteropFormat, ext: '.tif' | '.png'): InteropExporter {
  return {
    info: {
      id, label: `Label ${ext === '.tif' ? 'TIFF' : 'PNG'}`, writes: 'folder', extension: ext,
      description: `one uint8 label index ${ext === '.tif' ? 'TIFF' : 'PNG'} per image: 0 background, 1 cytoplasm, 2 nucleus, 3 edge`,
    },
    write: (items, target, ctx) =>
      writeEach(items, target, ctx, ext, ({ mask }) => {
        // b-w: a one-channel file (without it libvips writes the grey values as RGB).
        const img = sharp(Buffer.from(mask.labels), { raw: { width: mask.width, height: mask.height, channels: 1 } }).toColourspace('b-w');
        return ext === '.tif' ? img.tiff({ compression: 'lzw' }).toBuffer() : img.png().toBuffer();
      }),
  };
}

function conventionFormat(id: InteropFormat & MaskConvention, description: string): InteropExporter {
  return {
    info: { id, label: `${id} PNG`, writes: 'folder', extension: '.png', description },
    write: (items, target, ctx) =>
      writeEach(items, target, ctx, '.png', ({ mask }) => {
        const rgb = maskToImage(mask, id);
        return sharp(rgb.data, { raw: { width: rgb.width, height: rgb.height, channels: 3 } }).png().toBuffer();
      }),
  };
}

export const labelTiffFormat = labelIndexFormat('label-tiff', '.tif');
export const labelPngFormat = labelIndexFormat('label-png', '.png');
export const gray3Format = conventionFormat('gray3', 'one PNG per image: 0 / 128 / 255 = background / cytoplasm / nucleus (wbc-dataset1), edges folded into their cell');
export const rgbFormat = conventionFormat('rgb', 'one PNG per image: blue background, green cytoplasm, red nucleus, edges folded into their cell');
