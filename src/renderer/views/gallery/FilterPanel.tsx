import type { ImageSummary, SequenceInfo, Split } from '../../../shared/domain';
import { DIFFICULTY_CLASSES, REVIEW_STATES, SPLITS, type DifficultyClass, type ReviewState } from '../../../shared/domain';
import { isFilterActive, MASK_STATUS_LABEL, MASK_STATUSES, maskStatuses, type GalleryFilter, type MaskStatus } from './filter';

function toggle<T>(list: readonly T[], v: T): T[] {
  return list.includes(v) ? list.filter((x) => x !== v) : [...list, v];
}

interface Counts {
  difficulty: Map<number, number>;
  split: Map<string, number>;
  status: Map<string, number>;
  review: Map<string, number>;
}

export function countImages(images: readonly ImageSummary[], reviewThreshold?: number): Counts {
  const c: Counts = { difficulty: new Map(), split: new Map(), status: new Map(), review: new Map() };
  const inc = (m: Map<string | number, number>, k: string | number): void => {
    m.set(k, (m.get(k) ?? 0) + 1);
  };
  for (const img of images) {
    inc(c.difficulty as Map<string | number, number>, img.difficulty ?? 0);
    // Frames in no split ('unused') are not counted under the split their row happens to hold.
    if (!img.unused) inc(c.split as Map<string | number, number>, img.split);
    for (const s of maskStatuses(img, reviewThreshold)) inc(c.status as Map<string | number, number>, s);
    inc(c.review as Map<string | number, number>, img.review ?? 'draft');
  }
  return c;
}

export function FilterPanel({ filter, onChange, counts, sequences = [] }: { filter: GalleryFilter; onChange: (f: GalleryFilter) => void; counts: Counts; sequences?: readonly SequenceInfo[] }) {
  const check = (label: string, on: boolean, count: number | undefined, onToggle: () => void, testId: string) => (
    <label className={`check ${count ? '' : 'empty'}`} key={testId}>
      <input type="checkbox" checked={on} onChange={onToggle} data-testid={testId} />
      <span className="grow">{label}</span>
      <span className="count">{count ?? 0}</span>
    </label>
  );
  return (
    <aside className="filter-panel" data-testid="gallery-filters">
      <input
        type="search"
        className="search"
        placeholder="Search name or tag"
        value={filter.text}
        onChange={(e) => onChange({ ...filter, text: e.target.value })}
        data-testid="filter-text"
      />
      {sequences.length > 0 && (
        <fieldset>
          <legend>Sequence</legend>
          <select
            value={filter.sequence === null || filter.sequence === undefined ? 'all' : String(filter.sequence)}
            onChange={(e) => onChange({ ...filter, sequence: e.target.value === 'all' ? null : e.target.value === 'none' ? 'none' : Number(e.target.value) })}
            data-testid="filter-sequence"
            style={{ width: '100%' }}
          >
            <option value="all">All (each sequence one tile)</option>
            <option value="none">Images that are no frame</option>
            {sequences.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name} · {s.frameCount} frames
              </option>
            ))}
          </select>
        </fieldset>
      )}
      <fieldset>
        <legend>Difficulty class</legend>
        {DIFFICULTY_CLASSES.map((d) =>
          check(`${d.id} · ${d.label}`, filter.difficulty.includes(d.id), counts.difficulty.get(d.id), () => onChange({ ...filter, difficulty: toggle(filter.difficulty, d.id as DifficultyClass) }), `filter-difficulty-${d.id}`),
        )}
        {check('Unclassified', filter.difficulty.includes(0), counts.difficulty.get(0), () => onChange({ ...filter, difficulty: toggle(filter.difficulty, 0) }), 'filter-difficulty-0')}
      </fieldset>
      <fieldset>
        <legend>Split</legend>
        {SPLITS.map((s) => check(s === 'val' ? 'validation' : s, filter.split.includes(s), counts.split.get(s), () => onChange({ ...filter, split: toggle<Split>(filter.split, s) }), `filter-split-${s}`))}
      </fieldset>
      <fieldset>
        <legend>Masks</legend>
        {MASK_STATUSES.map((s) =>
          check(MASK_STATUS_LABEL[s], filter.status.includes(s), counts.status.get(s), () => onChange({ ...filter, status: toggle<MaskStatus>(filter.status, s) }), `filter-status-${s}`),
        )}
      </fieldset>
      <fieldset>
        <legend>Review</legend>
        {REVIEW_STATES.map((r) =>
          check(r === 'reviewed' ? 'Reviewed' : 'Draft', (filter.review ?? []).includes(r), counts.review.get(r), () => onChange({ ...filter, review: toggle<ReviewState>(filter.review ?? [], r) }), `filter-review-${r}`),
        )}
      </fieldset>
      {isFilterActive(filter) && (
        <button className="btn small block" onClick={() => onChange({ ...filter, difficulty: [], split: [], status: [], review: [], text: '', sequence: null })} data-testid="filter-clear">
          Clear filters
        </button>
      )}
    </aside>
  );
}
