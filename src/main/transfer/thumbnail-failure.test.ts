import { describe, expect, it, vi } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Project } from '../project/project';
import { importFolder } from './import-folder';
import { encodeSeed } from './fuzz/make-files';
import { tempDir } from '../testing/fixtures';

// Thumbnails cannot be made to fail with a real file once decoding succeeded, so the encoder
// fails on purpose for one image size: that one file is skipped, the import goes on.
vi.mock('../imaging/encode-image', async (importOriginal) => {
  const real = await importOriginal<typeof import('../imaging/encode-image')>();
  return {
    ...real,
    encodeThumbnail: async (img: { width: number; height: number; data: Uint8Array }, size: number) => {
      if (img.width === 33) throw new Error('VipsJpeg: out of memory');
      return real.encodeThumbnail(img, size);
    },
  };
});

describe('thumbnail failures', () => {
  it('are per file: the image is skipped with the reason, the others import', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'a.png'), await encodeSeed('png', 40, 40, 1));
    writeFileSync(join(dir, 'b.png'), await encodeSeed('png', 33, 20, 2));
    writeFileSync(join(dir, 'c.bmp'), await encodeSeed('bmp', 50, 30, 3));
    const p = Project.open(join(tempDir(), 'p.hemaseg'), { create: true });
    const r = await importFolder(p, dir, { maskConvention: 'none' });
    expect(r.imported).toBe(2);
    expect(r.skipped).toEqual([{ file: 'b.png', reason: 'cannot make its thumbnail (VipsJpeg: out of memory)' }]);
    p.close();
  });
});
