// Stored evaluations and their results, typed by the API contract (shared/core/metric-types).
import { useEffect, useState } from 'react';
import type { EvaluationInfo } from '../../shared/api';
import type { EvaluationResult, ImageRow } from '../../shared/core/metric-types';
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

const cache = new Map<number, Promise<EvaluationResult>>();

export function loadEvaluation(id: number): Promise<EvaluationResult> {
  let p = cache.get(id);
  if (!p) {
    p = api.call('eval.get', { id }).then((r) => r.result);
    p.catch(() => cache.delete(id));
    cache.set(id, p);
  }
  return p;
}

interface EvaluationState {
  result: EvaluationResult | null;
  /** The per-image rows of `result` (empty while loading or without a result). */
  rows: ImageRow[];
  loading: boolean;
  error: string | null;
}

const NONE: EvaluationState = { result: null, rows: [], loading: false, error: null };

export function useEvaluationRows(id: number | null): EvaluationState {
  const [state, setState] = useState<EvaluationState>(NONE);
  useEffect(() => {
    if (id === null) {
      setState(NONE);
      return;
    }
    let live = true;
    setState((s) => ({ ...s, loading: true }));
    loadEvaluation(id).then(
      (result) => live && setState({ result, rows: result.perImage, loading: false, error: null }),
      (e: unknown) => live && setState({ ...NONE, error: errorText(e) }),
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
