// The pixel count a file declares, read from its header before anything is decoded. A few
// hundred bytes can declare a 30000x30000 image (RLE BMPs, PNG/JPEG/TIFF headers), and the
// decoders allocate the full canvas up front: the limit has to be enforced here, first.
import sharp from 'sharp';
import type { ImageFormat } from '../../shared/domain';

/** Default decoding limit: far above any smear image (CellaVision is 360x363, slides tiles a few MP). */
export const DEFAULT_MAX_MEGAPIXELS = 50;

export interface DeclaredSize {
  width: number;
  height: number;
}

/** Limit in pixels from a limit in megapixels (1 MP = 1,000,000 pixels). */
export const megapixelsToPixels = (mp: number): number => Math.floor(mp * 1_000_000);

/** "16000x16000 (256 megapixels)". */
export function describeSize(s: DeclaredSize): string {
  const mp = (s.width * s.height) / 1_000_000;
  return `${s.width}x${s.height} (${mp >= 10 ? Math.round(mp) : mp.toFixed(1)} megapixels)`;
}

/**
 * BMP dimensions from the file and DIB headers (BITMAPCOREHEADER's 16-bit fields or the
 * 32-bit ones of every later header); the height may be negative (top-down rows).
 * Returns null when the header is too short to say.
 */
export function bmpDeclaredSize(bytes: Uint8Array): (DeclaredSize & { bitsPerPixel: number; compression: number; dataOffset: number; headerSize: number }) | null {
  if (bytes.length < 26) return null;
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dataOffset = v.getUint32(10, true);
  const headerSize = v.getUint32(14, true);
  if (headerSize === 12) {
    return { width: v.getUint16(18, true), height: v.getUint16(20, true), bitsPerPixel: v.getUint16(24, true), compression: 0, dataOffset, headerSize };
  }
  if (bytes.length < 34) return null;
  return {
    width: v.getInt32(18, true),
    height: Math.abs(v.getInt32(22, true)),
    bitsPerPixel: v.getUint16(28, true),
    compression: v.getUint32(30, true),
    dataOffset,
    headerSize,
  };
}

/** Declared size of a PNG, JPEG or TIFF via sharp's header read (no pixels decoded). */
export async function sharpDeclaredSize(bytes: Uint8Array): Promise<DeclaredSize | null> {
  // limitInputPixels: false so that metadata() reports a bomb's size instead of refusing to say.
  const meta = await sharp(bytes, { limitInputPixels: false }).metadata();
  if (!meta.width || !meta.height) return null;
  // Multi-page files (TIFF stacks) decode only their first page, whose size this is.
  return { width: meta.width, height: meta.height };
}

/** Declared size of any supported format; throws what the header parser throws. */
export async function declaredSize(bytes: Uint8Array, format: ImageFormat): Promise<DeclaredSize | null> {
  if (format === 'bmp') {
    const s = bmpDeclaredSize(bytes);
    return s ? { width: s.width, height: s.height } : null;
  }
  return sharpDeclaredSize(bytes);
}
