// Multi-page TIFF stacks: a stack is a sequence by itself, each page a frame. A page is
// stored as a lossless PNG of its own (16-bit where the page is 16-bit), so every frame is
// an ordinary image to the rest of HemaSeg; one unreadable page never loses the others.
import sharp, { type Metadata } from 'sharp';
import { ImageDecodeError, ImageTooLargeError } from '../imaging/decode-image';

/** More pages than this is not a microscopy stack we can hold as images. */
export const MAX_STACK_PAGES = 100_000;

/** Pages of a TIFF (1 for a plain image or a file whose header says nothing about pages). */
export async function tiffPageCount(bytes: Uint8Array): Promise<number> {
  try {
    const meta = await sharp(bytes).metadata();
    return meta.pages ?? 1;
  } catch {
    return 1; // unreadable: the ordinary decoder reports why
  }
}

/**
 * Page `page` of a stack as PNG bytes, checked against the decoding limit on the page's own
 * header first. Throws ImageDecodeError naming the page.
 */
export async function stackPageAsPng(bytes: Uint8Array, page: number, file: string, maxPixels: number): Promise<Uint8Array> {
  const label = `${file} page ${page}`;
  let meta: Metadata;
  try {
    meta = await sharp(bytes, { page }).metadata();
  } catch (err) {
    throw new ImageDecodeError(label, `unreadable page header (${(err as Error).message.split('\n')[0]})`);
  }
  const width = meta.width ?? 0;
  const height = meta.height ?? 0;
  if (!(width > 0 && height > 0)) throw new ImageDecodeError(label, `invalid page dimensions ${width}x${height}`);
  if (width * height > maxPixels) throw new ImageTooLargeError(label, { width, height }, maxPixels);
  try {
    let img = sharp(bytes, { page, failOn: 'error', limitInputPixels: Math.max(1, maxPixels) });
    const grey = (meta.channels ?? 1) - (meta.hasAlpha ? 1 : 0) === 1;
    // Keep 16 bits where the page has them (the film's 0.001 noise is below one 8-bit step).
    if (meta.depth === 'ushort') img = img.toColourspace(grey ? 'grey16' : 'rgb16');
    else if (grey) img = img.toColourspace('b-w');
    return new Uint8Array(await img.png().toBuffer());
  } catch (err) {
    const msg = (err as Error).message.split('\n')[0].replace(/^Unknown error$/i, 'the decoder stopped with an error');
    throw new ImageDecodeError(label, `unreadable page (damaged or truncated: ${msg})`);
  }
}

/** Name of a stack page's image: the stack's stem and the page number. */
export function stackPageName(stem: string, page: number, pages: number): string {
  return `${stem}_p${String(page).padStart(Math.max(4, String(pages - 1).length), '0')}.png`;
}

/** A multi-page TIFF found by an import, with its mask stack when it has one. */
export interface StackFile {
  /** The stack as the import names it (relative to the imported folder). */
  file: string;
  bytes: Uint8Array;
  pages: number;
  /** Page sizes from each page's header (null: unreadable header). */
  sizes: ({ width: number; height: number } | null)[];
}

/** Page sizes from the headers alone (nothing decoded). */
export async function stackPageSizes(bytes: Uint8Array, pages: number): Promise<({ width: number; height: number } | null)[]> {
  const out: ({ width: number; height: number } | null)[] = [];
  for (let page = 0; page < pages; page++) {
    try {
      const m = await sharp(bytes, { page }).metadata();
      out.push(m.width && m.height ? { width: m.width, height: m.height } : null);
    } catch {
      out.push(null);
    }
  }
  return out;
}

/** The most common size among frames (ties: the earliest frame's); null when none is known. */
export function majoritySize(sizes: ({ width: number; height: number } | null)[]): { width: number; height: number } | null {
  const counts = new Map<string, { n: number; first: number; size: { width: number; height: number } }>();
  sizes.forEach((s, k) => {
    if (!s) return;
    const key = `${s.width}x${s.height}`;
    const c = counts.get(key);
    if (c) c.n++;
    else counts.set(key, { n: 1, first: k, size: s });
  });
  let best: { n: number; first: number; size: { width: number; height: number } } | null = null;
  for (const c of counts.values()) if (!best || c.n > best.n || (c.n === best.n && c.first < best.first)) best = c;
  return best?.size ?? null;
}

