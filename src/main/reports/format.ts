// Number and label formatting shared by the PDF and HTML reports (the CSV writes raw numbers).
import { DIFFICULTY_CLASSES, type DifficultyClass } from '../../shared/domain';

export function fixed(v: number | null | undefined, digits: number): string {
  return v === null || v === undefined || !Number.isFinite(v) ? '–' : v.toFixed(digits);
}

/** Integer with comma thousands separators (1,234,567), locale independent. */
export function int(v: number): string {
  return Math.round(v)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

export function difficultyLabel(d: DifficultyClass | null): string {
  if (d === null) return 'Unclassified';
  const c = DIFFICULTY_CLASSES.find((x) => x.id === d);
  return c ? `${d} ${c.label}` : String(d);
}

export function groupLabel(kind: 'difficulty' | 'type' | 'sequence', key: string): string {
  if (kind === 'sequence') return `Sequence ${key}`;
  if (kind === 'difficulty') return key === 'none' ? 'Unclassified' : difficultyLabel(Number(key) as DifficultyClass);
  return key === 'none' ? 'No type tag' : key;
}

/** "2025-03-01 14:05 UTC" from an ISO time; other strings are shown unchanged. */
export function dateTime(iso: string): string {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return iso;
  return `${new Date(t).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
