// Which mask version a gallery tile overlays. The contract gives per-image mask kinds but
// not version ids, so visible tiles ask masks.current lazily (few at a time) and the answer
// is cached per image revision. See the contract request in the report: an id per kind on
// ImageSummary would remove these calls.
import { useEffect, useState } from 'react';
import type { ImageSummary, MaskKind } from '../../shared/domain';
import { api } from './api';

export type OverlayChoice = 'auto' | MaskKind | 'none';

const cache = new Map<string, Promise<number | null>>();
const MAX_IN_FLIGHT = 6;
let inFlight = 0;
const queue: (() => void)[] = [];

function limited<T>(task: () => Promise<T>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const run = (): void => {
      inFlight++;
      task()
        .then(resolve, reject)
        .finally(() => {
          inFlight--;
          queue.shift()?.();
        });
    };
    if (inFlight < MAX_IN_FLIGHT) run();
    else queue.push(run);
  });
}

function currentVersion(imageId: number, kind: MaskKind, revision: number): Promise<number | null> {
  const key = `${imageId}:${kind}:${revision}`;
  let p = cache.get(key);
  if (!p) {
    p = limited(() => api.call('masks.current', { imageId, kind })).then(
      (v) => v?.id ?? null,
      () => null,
    );
    cache.set(key, p);
  }
  return p;
}

export function overlayKind(img: ImageSummary, choice: OverlayChoice): MaskKind | null {
  if (choice === 'none') return null;
  if (choice !== 'auto') return img.maskKinds.includes(choice) ? choice : null;
  for (const k of ['ground-truth', 'prediction', 'baseline'] as const) if (img.maskKinds.includes(k)) return k;
  return null;
}

/** Mask version id to overlay on a tile (null while unknown or when there is none). */
export function useOverlayVersion(img: ImageSummary, choice: OverlayChoice, revision: number): number | null {
  const kind = overlayKind(img, choice);
  const [id, setId] = useState<number | null>(null);
  useEffect(() => {
    let live = true;
    if (!kind) {
      setId(null);
      return;
    }
    void currentVersion(img.id, kind, revision).then((v) => live && setId(v));
    return () => {
      live = false;
    };
  }, [img.id, kind, revision]);
  return kind ? id : null;
}
