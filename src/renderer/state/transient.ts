// A status message that clears itself after a few seconds, so old news does not linger.
import { useEffect, useState } from 'react';

export const MESSAGE_MS = 5000;

export function useTransient<T>(ms = MESSAGE_MS): [T | null, (v: T | null) => void] {
  const [value, setValue] = useState<T | null>(null);
  useEffect(() => {
    if (value === null) return;
    const t = setTimeout(() => setValue(null), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return [value, setValue];
}
