import type { Split } from '../../shared/domain';

/**
 * The default 70/15/15 split from the content hash: deterministic across machines and
 * re-imports, independent of import order, and stable when images are added.
 */
export function defaultSplit(hash: string): Split {
  const u = parseInt(hash.slice(0, 8), 16) / 0x1_0000_0000;
  return u < 0.7 ? 'train' : u < 0.85 ? 'val' : 'test';
}
