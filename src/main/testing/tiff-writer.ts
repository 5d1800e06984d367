// A minimal multi-page TIFF writer for tests: grey 8- or 16-bit pages, uncompressed, one
// strip each. sharp writes 8-bit TIFF only, and tests need 16-bit stacks and stacks with
// one damaged page (a strip that points past the end of the file).

export interface TiffPage {
  width: number;
  height: number;
  /** Grey values, row-major: Uint8Array for 8-bit, Uint16Array for 16-bit. */
  data: Uint8Array | Uint16Array;
  /** Make this page unreadable: its strip offset points past the end of the file. */
  broken?: boolean;
}

const TAG = { width: 256, height: 257, bits: 258, compression: 259, photometric: 262, stripOffsets: 273, samples: 277, rows: 278, stripBytes: 279 } as const;

export function writeTiffStack(pages: TiffPage[]): Uint8Array {
  const ENTRIES = 9;
  const ifdSize = 2 + ENTRIES * 12 + 4;
  const dataSizes = pages.map((p) => p.data.byteLength);
  const total = 8 + pages.reduce((a, _, k) => a + ifdSize + dataSizes[k], 0);
  const buf = new ArrayBuffer(total);
  const v = new DataView(buf);
  const bytes = new Uint8Array(buf);
  v.setUint16(0, 0x4949); // little-endian 'II'
  v.setUint16(2, 42, true);
  let at = 8;
  v.setUint32(4, at, true);
  pages.forEach((p, k) => {
    const ifd = at;
    const dataAt = ifd + ifdSize;
    const bits = p.data instanceof Uint16Array ? 16 : 8;
    const entries: [number, number, number][] = [
      [TAG.width, 4, p.width],
      [TAG.height, 4, p.height],
      [TAG.bits, 3, bits],
      [TAG.compression, 3, 1],
      [TAG.photometric, 3, 1], // black is zero
      [TAG.stripOffsets, 4, p.broken ? total + 1_000_000 : dataAt],
      [TAG.samples, 3, 1],
      [TAG.rows, 4, p.height],
      [TAG.stripBytes, 4, dataSizes[k]],
    ];
    v.setUint16(ifd, ENTRIES, true);
    entries.forEach(([tag, type, value], e) => {
      const o = ifd + 2 + e * 12;
      v.setUint16(o, tag, true);
      v.setUint16(o + 2, type, true);
      v.setUint32(o + 4, 1, true);
      if (type === 3) v.setUint16(o + 8, value, true);
      else v.setUint32(o + 8, value, true);
    });
    const next = k + 1 < pages.length ? dataAt + dataSizes[k] : 0;
    v.setUint32(ifd + 2 + ENTRIES * 12, next, true);
    if (p.data instanceof Uint16Array) p.data.forEach((x, i) => v.setUint16(dataAt + i * 2, x, true));
    else bytes.set(p.data, dataAt);
    at = dataAt + dataSizes[k];
  });
  return bytes;
}
