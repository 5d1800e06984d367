import { LABEL, type LabelMap } from '../../shared/domain';
import { flattenEdges } from '../imaging/mask-convention';

/** Per-pixel class membership used by every metric: edges count as part of their cell. */
export interface ClassPlanes {
  flat: Uint8Array; // 0 background, 1 cytoplasm, 2 nucleus (edges folded into their cell)
  edge: Uint8Array; // 1 where the raw label is edge
  hasEdges: boolean;
}

export function classPlanes(mask: LabelMap): ClassPlanes {
  const flat = flattenEdges(mask);
  const edge = new Uint8Array(mask.labels.length);
  let hasEdges = false;
  for (let i = 0; i < edge.length; i++) {
    if (mask.labels[i] === LABEL.edge) {
      edge[i] = 1;
      hasEdges = true;
    }
  }
  return { flat, edge, hasEdges };
}

export function inClass(p: ClassPlanes, cls: 'cell' | 'cytoplasm' | 'nucleus' | 'edge', i: number): boolean {
  switch (cls) {
    case 'cell':
      return p.flat[i] !== LABEL.background;
    case 'cytoplasm':
      return p.flat[i] === LABEL.cytoplasm;
    case 'nucleus':
      return p.flat[i] === LABEL.nucleus;
    case 'edge':
      return p.edge[i] === 1;
  }
}
