import type { RgbImage } from '../../shared/domain';
import type { Project } from '../project/project';
import { decodeImage } from './decode-image';
import { megapixelsToPixels } from './declared-size';

// Decoded pixels of recently used images; the editor and media routes hit the same few.
const cache = new Map<string, RgbImage>();
const LIMIT = 64;

export async function loadImagePixels(project: Project, id: number): Promise<RgbImage> {
  const key = `${project.path}#${id}`;
  const hit = cache.get(key);
  if (hit) {
    cache.delete(key);
    cache.set(key, hit);
    return hit;
  }
  const stored = project.images.bytes(id);
  if (!stored) throw new Error(`no image with id ${id}`);
  // Stored images passed the project's limit on import; the same limit still applies.
  const { image } = await decodeImage(stored.bytes, stored.name, { maxPixels: megapixelsToPixels(project.settings.get().maxMegapixels) });
  cache.set(key, image);
  if (cache.size > LIMIT) cache.delete(cache.keys().next().value as string);
  return image;
}
