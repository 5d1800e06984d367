// The training form: model family and its options (fields generated from the family's
// description, `models.families`), schedule, which images, and scratch vs fine-tuning a
// registered version.
import { useState } from 'react';
import type { ModelTask } from '../../../shared/domain';
import { DEFAULT_FAMILY, DEFAULT_TRAIN, OPTIMIZERS, STOP_RULES, type FamilyOptionInfo, type ModelConfig, type ModelFamilyInfo, type ModelInfo, type TrainRequest } from '../../../shared/ml';

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
  // The same defaults as the CLI: the default family at its own defaults (filled in by the family on the main side).
  return { name: 'unet', model: { family: DEFAULT_FAMILY, config: {} }, ...DEFAULT_TRAIN, augmentation: { ...DEFAULT_TRAIN.augmentation } };
}

/** A family's defaults without the unset options (null defaults stay absent). */
function familyDefaults(f: ModelFamilyInfo): ModelConfig {
  const out: ModelConfig = {};
  for (const o of f.options) {
    const v = f.defaults[o.key];
    if (v !== undefined && v !== null) out[o.key] = v;
  }
  return out;
}

/** One generated field for a family option. */
function OptionField(props: { option: FamilyOptionInfo; value: ModelConfig[string] | undefined; onChange: (v: number | string | undefined) => void }) {
  const o = props.option;
  const testId = `train-${o.flag}`;
  if (o.type === 'choice') {
    return (
      <label className="field" title={o.help}>
        <span>{o.label}</span>
        <select value={props.value === undefined ? '' : String(props.value)} onChange={(e) => props.onChange(e.target.value === '' ? undefined : e.target.value)} data-testid={testId}>
          {o.default === null && <option value="">default</option>}
          {(o.choices ?? []).map((c) => (
            <option key={c} value={c}>
              {o.key === 'task' ? (TASK_LABEL[c as ModelTask] ?? c) : c}
            </option>
          ))}
        </select>
      </label>
    );
  }
  if (o.suggestions?.length) {
    return (
      <label className="field" title={o.help}>
        <span>{o.label}</span>
        <select value={String(props.value ?? o.default ?? '')} onChange={(e) => props.onChange(Number(e.target.value))} data-testid={testId}>
          {o.suggestions.map((v) => (
            <option key={v} value={v}>
              {o.key === 'inputSize' ? `${v}×${v}` : v}
            </option>
          ))}
        </select>
      </label>
    );
  }
  return (
    <NumberField
      label={o.label}
      value={typeof props.value === 'number' ? props.value : null}
      min={o.min}
      max={o.max}
      step={o.step ?? (o.type === 'int' ? 1 : 0.01)}
      optional={o.default === null}
      hint={o.help}
      onChange={(v) => props.onChange(v === null ? undefined : v)}
      testId={testId}
    />
  );
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

export function TrainForm(props: { models: ModelInfo[]; families: ModelFamilyInfo[]; busy: boolean; error: string | null; onStart: (req: TrainRequest) => void }) {
  const [req, setReq] = useState<TrainRequest>(defaultRequest);
  // A name the user typed is theirs: picking a version to fine-tune never replaces it.
  const [nameTyped, setNameTyped] = useState(false);
  const set = (patch: Partial<TrainRequest>): void => setReq((r) => ({ ...r, ...patch }));
  const parent = props.models.find((m) => m.ref === req.from) ?? null;
  const spec = req.model ?? { family: DEFAULT_FAMILY, config: {} };
  const family = props.families.find((f) => f.id === spec.family) ?? null;
  // Until the user edits a field, the family's defaults show (the main side fills the same ones).
  const config: ModelConfig = { ...(family ? familyDefaults(family) : {}), ...spec.config };
  const setOption = (key: string, value: number | string | undefined): void =>
    setReq((r) => {
      const cur = r.model ?? { family: DEFAULT_FAMILY, config: {} };
      const next: ModelConfig = { ...(family ? familyDefaults(family) : {}), ...cur.config };
      if (value === undefined) delete next[key];
      else next[key] = value;
      return { ...r, model: { family: cur.family, config: next } };
    });
  const pickFamily = (id: string): void => {
    const f = props.families.find((x) => x.id === id);
    setReq((r) => ({ ...r, model: { family: id, config: f ? familyDefaults(f) : {} } }));
  };

  return (
    <form
      className="card train-form"
      data-testid="train-form"
      onSubmit={(e) => {
        e.preventDefault();
        // Fine-tuning keeps the parent's network (model: null); from scratch, the family's options.
        props.onStart(parent ? { ...req, model: null } : { ...req, model: { family: spec.family, config } });
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
              set({ from: ref, ...(m ? { name: nameTyped ? req.name : fineTuneName(m.name), model: { family: m.family, config: { ...m.config } }, lr: Math.min(req.lr, 5e-5) } : {}) });
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
          <label className="field" title={family?.summary}>
            <span>Family</span>
            <select value={spec.family} onChange={(e) => pickFamily(e.target.value)} data-testid="train-family">
              {(props.families.length ? props.families : [{ id: spec.family, label: spec.family } as ModelFamilyInfo]).map((f) => (
                <option key={f.id} value={f.id}>
                  {f.label}
                </option>
              ))}
            </select>
          </label>
          {(family?.options ?? []).map((o) => (
            <OptionField key={o.key} option={o} value={config[o.key]} onChange={(v) => setOption(o.key, v)} />
          ))}
        </div>
      </fieldset>
      <fieldset className="plain">
        <legend>Schedule</legend>
        <div className="form-cols">
          <NumberField label="Epochs" value={req.epochs} min={1} max={10000} onChange={(v) => set({ epochs: v ?? 1 })} testId="train-epochs" />
          <NumberField label="Time budget (minutes)" value={req.minutes} min={0.1} step={0.1} optional onChange={(v) => set({ minutes: v })} testId="train-minutes" hint="Stop after this many minutes (empty = no limit)" />
          <NumberField label="Batch" value={req.batch} min={1} max={256} onChange={(v) => set({ batch: v ?? 1 })} testId="train-batch" />
          <NumberField label="Learning rate" value={req.lr} min={0} step={0.00001} onChange={(v) => set({ lr: v ?? 1e-4 })} testId="train-lr" />
          <label className="field" title="adam (default) | rmsprop (decay 0.9) | sgd (plain, no momentum)">
            <span>Optimizer</span>
            <select value={req.optimizer ?? 'adam'} onChange={(e) => set({ optimizer: e.target.value as TrainRequest['optimizer'] })} data-testid="train-optimizer">
              {OPTIMIZERS.map((o) => (
                <option key={o} value={o}>
                  {o}
                </option>
              ))}
            </select>
          </label>
          <NumberField
            label="Gradient clipping (norm)"
            value={req.clipNorm}
            min={0.000001}
            step={0.1}
            optional
            onChange={(v) => set({ clipNorm: v })}
            testId="train-clip-norm"
            hint="Clip the gradients to this global norm (empty = off); advised when training is unstable"
          />
          <NumberField
            label="Validate every (steps)"
            value={req.validateEvery ?? null}
            min={1}
            optional
            onChange={(v) => set({ validateEvery: v })}
            testId="train-validate-every"
            hint="Validate every this many optimisation steps (seed 000: 40); empty = after every epoch"
          />
          <label className="field" title="no-improvement: stop after 'patience' validations without a new best | consecutive-increases: stop after 'patience' validation-cost increases in a row (seed 000: 100)">
            <span>Stop rule</span>
            <select value={req.stopRule ?? 'no-improvement'} onChange={(e) => set({ stopRule: e.target.value as TrainRequest['stopRule'] })} data-testid="train-stop-rule">
              {STOP_RULES.map((r) => (
                <option key={r} value={r}>
                  {r}
                </option>
              ))}
            </select>
          </label>
          <NumberField
            label={`Early-stop patience (${req.validateEvery ? 'validations' : 'epochs'})`}
            value={req.patience}
            min={1}
            optional
            onChange={(v) => set({ patience: v })}
            testId="train-patience"
            hint="Validations (epochs, or every-K-step validations) the stop rule counts; empty = off"
          />
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
