import { useEffect, useRef } from 'react';
import type { ApiEvent } from '../../shared/api';
import { api } from './api';

/** Subscribe to API events for the lifetime of a component (latest handler wins). */
export function useApiEvent(handler: (e: ApiEvent) => void): void {
  const ref = useRef(handler);
  ref.current = handler;
  useEffect(() => api.onEvent((e) => ref.current(e)), []);
}
