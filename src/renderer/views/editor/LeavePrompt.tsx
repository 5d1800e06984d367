// Asked before anything would drop unsaved edits (next image, another view, another
// starting mask, a restore): save them, discard them, or stay.
import { Modal } from '../../components/Modal';

export function LeavePrompt(props: { title: string; saving: boolean; error: string | null; onSave: () => void; onDiscard: () => void; onCancel: () => void }) {
  return (
    <Modal
      title="Unsaved edits"
      onClose={props.onCancel}
      testId="leave-prompt"
      footer={
        <>
          <button className="btn" onClick={props.onCancel} data-testid="leave-cancel">
            Cancel
          </button>
          <button className="btn danger" onClick={props.onDiscard} data-testid="leave-discard">
            Discard edits
          </button>
          <button className="btn primary" onClick={props.onSave} disabled={props.saving} data-testid="leave-save" autoFocus>
            {props.saving ? 'Saving…' : 'Save as ground truth'}
          </button>
        </>
      }
    >
      <p>{props.title}</p>
      <p className="muted small">Saving adds a new ground-truth version; discarding goes back to the mask this session started from.</p>
      {props.error && <div className="banner error">Save failed: {props.error}</div>}
    </Modal>
  );
}
