// Bulk changes on the selected images: difficulty class, split, tags (images.update).
import { useState } from 'react';
import { DIFFICULTY_CLASSES, SPLITS, type DifficultyClass, type ReviewState, type Split } from '../../../shared/domain';
import { api, errorText } from '../../state/api';
import { patchImages } from '../../state/images';
import { useTransient } from '../../state/transient';

export function BulkBar({ ids, onClear, onOpen }: { ids: number[]; onClear: () => void; onOpen: () => void }) {
  const [tag, setTag] = useState('');
  const [status, setStatus] = useTransient<string>();
  const update = async (req: { difficulty?: DifficultyClass | null; split?: Split; addTags?: string[] }, what: string): Promise<void> => {
    try {
      const { changed } = await api.call('images.update', { ids, ...req });
      if (req.difficulty !== undefined) patchImages(ids, { difficulty: req.difficulty });
      if (req.split) patchImages(ids, { split: req.split });
      setStatus(`${what}: ${changed} image${changed === 1 ? '' : 's'} changed`);
    } catch (e) {
      setStatus(`Failed: ${errorText(e)}`);
    }
  };
  const review = async (r: ReviewState): Promise<void> => {
    try {
      const { changed, counts } = await api.call('images.setReview', { ids, review: r });
      patchImages(ids, { review: r });
      setStatus(`Marked ${r}: ${changed} image${changed === 1 ? '' : 's'} changed · ${counts.reviewed} reviewed in the project`);
    } catch (e) {
      setStatus(`Failed: ${errorText(e)}`);
    }
  };
  return (
    <div className="bulkbar" data-testid="bulk-bar">
      <strong data-testid="bulk-count">{ids.length} selected</strong>
      <label className="inline">
        Difficulty
        <select
          value=""
          onChange={(e) => {
            const v = e.target.value;
            if (v !== '') void update({ difficulty: v === '0' ? null : (Number(v) as DifficultyClass) }, 'Difficulty');
          }}
          data-testid="bulk-difficulty"
        >
          <option value="">set…</option>
          {DIFFICULTY_CLASSES.map((d) => (
            <option key={d.id} value={d.id}>
              {d.id} · {d.label}
            </option>
          ))}
          <option value="0">Unclassified</option>
        </select>
      </label>
      <label className="inline">
        Split
        <select value="" onChange={(e) => e.target.value && void update({ split: e.target.value as Split }, 'Split')} data-testid="bulk-split">
          <option value="">set…</option>
          {SPLITS.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
      </label>
      <span className="inline" role="group" aria-label="Review state">
        Review
        <button className="btn small" onClick={() => void review('draft')} data-testid="bulk-review-draft" title="Mark the selection draft (Shift+D)">
          draft
        </button>
        <button className="btn small" onClick={() => void review('reviewed')} data-testid="bulk-review-reviewed" title="Mark the selection reviewed (Shift+R)">
          reviewed
        </button>
      </span>
      <form
        className="inline"
        onSubmit={(e) => {
          e.preventDefault();
          const tags = tag.split(',').map((t) => t.trim()).filter(Boolean);
          if (tags.length) void update({ addTags: tags }, 'Tags').then(() => setTag(''));
        }}
      >
        <input placeholder="add tag(s)" value={tag} onChange={(e) => setTag(e.target.value)} data-testid="bulk-tag-input" size={14} />
        <button className="btn small" disabled={!tag.trim()} data-testid="bulk-tag-add">
          Add
        </button>
      </form>
      {status && <span className="muted small" data-testid="bulk-status">{status}</span>}
      <span className="grow" />
      {ids.length === 1 && (
        <button className="btn small" onClick={onOpen} data-testid="bulk-open">
          Open in editor
        </button>
      )}
      <button className="btn small ghost" onClick={onClear} data-testid="bulk-clear">
        Clear selection
      </button>
    </div>
  );
}
