// The training form: task and architecture (sensible defaults), schedule, which images,
// and scratch vs fine-tuning a registered version.
import { useState } from 'react';
import type { ModelTask } from '../../../shared/domain';
import { DEFAULT_TRAIN, DEFAULT_UNET, type ModelInfo, type TrainRequest } from '../../../shared/ml';

export const TASK_LABEL: Record<ModelTask, string> = {
  binary: 'binary: cell',
  multiclass: 'cytoplasm + nucleus',
  'multiclass-edge': 'cytoplasm + nucleus + edge',
};

/**
 * The suggested name when fine-tuning `parent`: the same name (a new version of it), except
 * for the shipped model, whose name is reserved.
 */
export function fineTuneName(parent: string): string {
  return parent === 'default' ? 'default-tuned' : parent;
}

export function defaultRequest(): TrainRequest {
  // The same defaults as the CLI (src/shared/ml.ts).
  return { name: 'unet', unet: { ...DEFAULT_UNET }, ...DEFAULT_TRAIN, augmentation: { ...DEFAULT_TRAIN.augmentation } };
}

function NumberField(props: { label: string; value: number | null; onChange: (v: number | null) => void; step?: number; min?: number; max?: number; optional?: boolean; disabled?: boolean; testId: string; hint?: string }) {
  return (
    <label className="field" title={props.hint}>
      <span>{props.label}</span>
      <input
        type="number"
        value={props.value ?? ''}
        placeholder={props.optional ? 'off' : undefined}
        step={props.step}
        min={props.min}
        max={props.max}
        disabled={props.disabled}
        onChange={(e) => props.onChange(e.target.value === '' ? (props.optional ? null : (props.min ?? 0)) : Number(e.target.value))}
        data-testid={props.testId}
      />
    </label>
  );
}

export function TrainForm(props: { models: ModelInfo[]; busy: boolean; error: string | null; onStart: (req: TrainRequest) => void }) {
  const [req, setReq] = useState<TrainRequest>(defaultRequest);
  // A name the user typed is theirs: picking a version to fine-tune never replaces it.
  const [nameTyped, setNameTyped] = useState(false);
  const set = (patch: Partial<TrainRequest>): void => setReq((r) => ({ ...r, ...patch }));
  const setUnet = (patch: Partial<TrainRequest['unet']>): void => setReq((r) => ({ ...r, unet: { ...r.unet, ...patch } }));
  const parent = props.models.find((m) => m.ref === req.from) ?? null;

  return (
    <form
      className="card train-form"
      data-testid="train-form"
      onSubmit={(e) => {
        e.preventDefault();
        props.onStart(parent ? { ...req, unet: { ...parent.config } } : req);
      }}
    >
      <h2>New training run</h2>
      <div className="form-cols">
        <label className="field">
          <span>Model name</span>
          <input
            value={req.name}
            onChange={(e) => {
              setNameTyped(e.target.value !== '');
              set({ name: e.target.value });
            }}
            data-testid="train-name" required pattern="[A-Za-z0-9._\-]+" title="letters, digits, . _ -" />
        </label>
        <label className="field">
          <span>Start from</span>
          <select
            value={req.from ?? ''}
            onChange={(e) => {
              const ref = e.target.value || null;
              const m = props.models.find((x) => x.ref === ref);
              set({ from: ref, ...(m ? { name: nameTyped ? req.name : fineTuneName(m.name), unet: { ...m.config }, lr: Math.min(req.lr, 5e-5) } : {}) });
            }}
            data-testid="train-from"
          >
            <option value="">scratch (new weights)</option>
            {props.models.map((m) => (
              <option key={m.ref} value={m.ref}>
                fine-tune {m.ref}
              </option>
            ))}
          </select>
        </label>
      </div>
      <fieldset disabled={!!parent} className="plain">
        <legend>Architecture{parent ? ` (from ${parent.ref})` : ''}</legend>
        <div className="form-cols">
          <label className="field">
            <span>Task</span>
            <select value={req.unet.task} onChange={(e) => setUnet({ task: e.target.value as ModelTask })} data-testid="train-task">
              {(Object.keys(TASK_LABEL) as ModelTask[]).map((t) => (
                <option key={t} value={t}>
                  {TASK_LABEL[t]}
                </option>
              ))}
            </select>
          </label>
          <label className="field">
            <span>Input size</span>
            <select value={req.unet.inputSize} onChange={(e) => setUnet({ inputSize: Number(e.target.value) })} data-testid="train-size">
              {[64, 96, 128, 160, 192, 256].map((s) => (
                <option key={s} value={s}>
                  {s}×{s}
                </option>
              ))}
            </select>
          </label>
          <NumberField label="Depth (poolings)" value={req.unet.depth} min={1} max={6} onChange={(v) => setUnet({ depth: v ?? 3 })} testId="train-depth" />
          <NumberField label="Base filters" value={req.unet.baseFilters} min={4} max={128} step={4} onChange={(v) => setUnet({ baseFilters: v ?? 16 })} testId="train-filters" />
          <NumberField label="Dropout" value={req.unet.dropout} min={0} max={0.9} step={0.05} onChange={(v) => setUnet({ dropout: v ?? 0 })} testId="train-dropout" />
        </div>
      </fieldset>
      <fieldset className="plain">
        <legend>Schedule</legend>
        <div className="form-cols">
          <NumberField label="Epochs" value={req.epochs} min={1} max={10000} onChange={(v) => set({ epochs: v ?? 1 })} testId="train-epochs" />
          <NumberField label="Time budget (minutes)" value={req.minutes} min={0.1} step={0.1} optional onChange={(v) => set({ minutes: v })} testId="train-minutes" hint="Stop after this many minutes (empty = no limit)" />
          <NumberField label="Batch" value={req.batch} min={1} max={256} onChange={(v) => set({ batch: v ?? 1 })} testId="train-batch" />
          <NumberField label="Learning rate" value={req.lr} min={0} step={0.00001} onChange={(v) => set({ lr: v ?? 1e-4 })} testId="train-lr" />
          <NumberField label="Early-stop patience (epochs)" value={req.patience} min={1} optional onChange={(v) => set({ patience: v })} testId="train-patience" />
          <NumberField label="Seed" value={req.seed} min={0} onChange={(v) => set({ seed: v ?? 0 })} testId="train-seed" />
        </div>
      </fieldset>
      <fieldset className="plain">
        <legend>Data</legend>
        <div className="segmented">
          <button type="button" className={req.images === 'all' ? 'active' : ''} onClick={() => set({ images: 'all' })} data-testid="train-images-all">
            All ground truth (train split)
          </button>
          <button type="button" className={req.images === 'corrected' ? 'active' : ''} onClick={() => set({ images: 'corrected' })} data-testid="train-images-corrected">
            Only hand-corrected
          </button>
          <button type="button" className={req.images === 'reviewed' ? 'active' : ''} onClick={() => set({ images: 'reviewed' })} data-testid="train-images-reviewed" title="Only images marked reviewed (gallery or editor)">
            Only reviewed
          </button>
        </div>
        <div className="row wrap">
          <label className="check">
            <input type="checkbox" checked={req.augmentation.flips} onChange={(e) => set({ augmentation: { ...req.augmentation, flips: e.target.checked } })} />
            flips
          </label>
          <label className="check">
            <input type="checkbox" checked={req.augmentation.rotate90} onChange={(e) => set({ augmentation: { ...req.augmentation, rotate90: e.target.checked } })} />
            90° rotations
          </label>
          <label className="check">
            <input type="checkbox" checked={req.augmentation.shift > 0} onChange={(e) => set({ augmentation: { ...req.augmentation, shift: e.target.checked ? 0.05 : 0 } })} />
            shift
          </label>
          <label className="check">
            <input type="checkbox" checked={req.augmentation.zoom > 0} onChange={(e) => set({ augmentation: { ...req.augmentation, zoom: e.target.checked ? 0.05 : 0 } })} />
            zoom
          </label>
        </div>
      </fieldset>
      {props.error && <div className="banner error">{props.error}</div>}
      <div className="row end">
        <button className="btn primary" disabled={props.busy} data-testid="train-start">
          {props.busy ? 'Training…' : req.from ? 'Start fine-tuning' : 'Start training'}
        </button>
      </div>
    </form>
  );
}
