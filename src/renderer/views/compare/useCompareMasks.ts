// Load, for one image, the RGB image and the label maps of the truth and the two sources.
import { useEffect, useState } from 'react';
import type { LabelMap, MaskVersionInfo } from '../../../shared/domain';
import { api, errorText } from '../../state/api';
import { mediaUrl } from '../../state/media';
import type { SourceRef } from './sources';

export interface LoadedMask {
  version: MaskVersionInfo | null;
  map: LabelMap | null;
}

export interface CompareData {
  image: HTMLImageElement | null;
  truth: LoadedMask;
  a: LoadedMask;
  b: LoadedMask;
  loading: boolean;
  error: string | null;
}

const EMPTY: LoadedMask = { version: null, map: null };

async function loadMask(imageId: number, ref: SourceRef | null): Promise<LoadedMask> {
  if (!ref) return EMPTY;
  const version = await api.call('masks.current', { imageId, kind: ref.kind, source: ref.source });
  if (!version) return EMPTY;
  return { version, map: await api.call('masks.load', { versionId: version.id }) };
}

function loadImage(url: string): Promise<HTMLImageElement> {
  return new Promise((resolve, reject) => {
    const img = new window.Image();
    img.onload = () => resolve(img);
    img.onerror = () => reject(new Error('the image could not be loaded'));
    img.src = url;
  });
}

export function useCompareMasks(imageId: number | null, truth: SourceRef | null, a: SourceRef | null, b: SourceRef | null): CompareData {
  const [data, setData] = useState<CompareData>({ image: null, truth: EMPTY, a: EMPTY, b: EMPTY, loading: false, error: null });
  const key = JSON.stringify([imageId, truth, a, b]);
  useEffect(() => {
    if (imageId === null) return;
    let live = true;
    setData((d) => ({ ...d, loading: true }));
    Promise.all([loadImage(mediaUrl(`image/${imageId}`)), loadMask(imageId, truth), loadMask(imageId, a), loadMask(imageId, b)]).then(
      ([image, t, ma, mb]) => live && setData({ image, truth: t, a: ma, b: mb, loading: false, error: null }),
      (e: unknown) => live && setData((d) => ({ ...d, loading: false, error: errorText(e) })),
    );
    return () => {
      live = false;
    };
  }, [key]);
  return data;
}
