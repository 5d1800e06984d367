// "Fine-tune on my corrections": one button with the defaults tuned for 10-50 corrected images
// (DEFAULT_FINETUNE), starting from the project's default model. Shows how many corrected
// images will train and how many are held back, and, once a fine-tuned version exists,
// whether it beats its parent on the same held-back images (then offers "Make default").
import type { ModelInfo, TrainPlan, TrainRequest } from '../../../shared/ml';
import { DEFAULT_FINETUNE, DEFAULT_TRAIN } from '../../../shared/ml';
import { promotionOf } from '../../../shared/promotion';

export function fineTuneRequest(models: ModelInfo[]): TrainRequest {
  // A free name: finetuned, then finetuned@N versions accumulate under it. The network is the parent's (model: null).
  return { ...DEFAULT_TRAIN, ...DEFAULT_FINETUNE, augmentation: { ...DEFAULT_FINETUNE.augmentation }, name: 'finetuned', model: null, from: 'default', seed: models.length + 1 };
}

export function FineTuneCard(props: {
  plan: TrainPlan | undefined;
  models: ModelInfo[];
  defaultRef: string | null;
  busy: boolean;
  onStart: (req: TrainRequest) => void;
  onMakeDefault: (ref: string) => void;
}) {
  const { plan, models } = props;
  // The newest fine-tuned version with a parent comparison.
  const newest = [...models].reverse().find((m) => m.parentRef && promotionOf(m.metrics));
  const promo = newest ? promotionOf(newest.metrics) : null;
  const isDefault = newest?.ref === props.defaultRef;
  const enough = (plan?.train ?? 0) > 0;
  return (
    <section className="card finetune-card" data-testid="finetune-card">
      <h2>Fine-tune on my corrections</h2>
      <p className="small">
        Starts from {props.defaultRef ?? 'the shipped default model'} and trains {DEFAULT_FINETUNE.minutes} minutes (learning rate {DEFAULT_FINETUNE.lr}) on the images whose masks you corrected.
      </p>
      {plan && (
        <p className="small" data-testid="finetune-plan">
          {plan.train} corrected image{plan.train === 1 ? '' : 's'} will train
          {plan.mode === 'corrections' ? `, ${plan.heldBack} held back to stop early and to compare with the parent` : `, ${plan.val} corrected validation images`}.
        </p>
      )}
      <button className="btn primary" type="button" disabled={props.busy || !enough} onClick={() => props.onStart(fineTuneRequest(models))} data-testid="finetune-start">
        Fine-tune on my corrections
      </button>
      {!enough && <p className="muted small">Correct a few masks in the editor first.</p>}
      {newest && promo && (
        <div className={`banner ${promo.beats ? 'info' : ''}`} data-testid="finetune-promotion" data-beats={String(promo.beats)}>
          {newest.ref} vs its parent {newest.parentRef}
          {promo.images !== null ? ` on the same ${promo.images} held-back images` : ''}: validation Dice {promo.tuned.toFixed(3)} vs {promo.parent.toFixed(3)}.{' '}
          {isDefault ? (
            <strong>It is the project's default model.</strong>
          ) : promo.beats ? (
            <button className="btn small" type="button" onClick={() => props.onMakeDefault(newest.ref)} data-testid="finetune-make-default">
              Make default
            </button>
          ) : (
            <span>Not proposed as the default (it does not beat its parent).</span>
          )}
        </div>
      )}
    </section>
  );
}
