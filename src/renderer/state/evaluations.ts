// Stored evaluations and their per-image rows (tolerant of the result format).
import { useEffect, useState } from 'react';
import type { EvaluationInfo } from '../../shared/api';
import { perImageRows, type PerImageRow } from '../lib/eval-result';
import { api, errorText } from './api';
import { useApiEvent } from './events';

export function useEvaluations(): { list: EvaluationInfo[]; error: string | null; reload: () => void } {
  const [list, setList] = useState<EvaluationInfo[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let live = true;
    api.call('eval.list').then(
      (l) => {
        if (!live) return;
        setList([...l].sort((a, b) => b.createdAt.localeCompare(a.createdAt)));
        setError(null);
      },
      (e: unknown) => live && setError(errorText(e)),
    );
    return () => {
      live = false;
    };
  }, [tick]);
  useApiEvent((e) => {
    if (e.type === 'job' && e.job.kind === 'evaluate' && e.job.status === 'done') setTick((t) => t + 1);
  });
  return { list, error, reload: () => setTick((t) => t + 1) };
}

const rowsCache = new Map<number, Promise<{ rows: PerImageRow[]; raw: unknown }>>();

export function loadEvaluation(id: number): Promise<{ rows: PerImageRow[]; raw: unknown }> {
  let p = rowsCache.get(id);
  if (!p) {
    p = api.call('eval.get', { id }).then((r) => ({ rows: perImageRows(r.result), raw: r.result }));
    p.catch(() => rowsCache.delete(id));
    rowsCache.set(id, p);
  }
  return p;
}

export function useEvaluationRows(id: number | null): { rows: PerImageRow[]; raw: unknown; loading: boolean; error: string | null } {
  const [state, setState] = useState<{ rows: PerImageRow[]; raw: unknown; loading: boolean; error: string | null }>({ rows: [], raw: null, loading: false, error: null });
  useEffect(() => {
    if (id === null) {
      setState({ rows: [], raw: null, loading: false, error: null });
      return;
    }
    let live = true;
    setState((s) => ({ ...s, loading: true }));
    loadEvaluation(id).then(
      (r) => live && setState({ ...r, loading: false, error: null }),
      (e: unknown) => live && setState({ rows: [], raw: null, loading: false, error: errorText(e) }),
    );
    return () => {
      live = false;
    };
  }, [id]);
  return state;
}

export function evaluationLabel(e: EvaluationInfo): string {
  return `${e.pred} vs ${e.truth}${e.split ? ` (${e.split})` : ''} · ${e.images} images · #${e.id}`;
}
