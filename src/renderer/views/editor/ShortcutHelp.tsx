// The help sheet: every action of the registry with its keys in the active preset, plus the
// mouse gestures and tool keys that are not actions.
import type { ShortcutPreset } from '../../../shared/domain';
import { Modal } from '../../components/Modal';
import { ACTIONS, keysFor, PRESET_LABEL, type ActionGroup } from '../../keys/registry';
import { describe } from '../../keys/shortcuts';

const GROUPS: readonly ActionGroup[] = ['Tools', 'Classes', 'Edit', 'View', 'Image', 'Frames', 'Gallery'];

const GESTURES: Partial<Record<ActionGroup, [string, string][]>> = {
  Tools: [
    ['Erase with the brush', 'right drag'],
    ['Polygon: add vertex / close', 'click · click the first vertex, double-click the last, Enter'],
    ['Polygon: drop / undo vertex', 'Esc · Backspace'],
    ['Snap: accept / drop proposal', 'Enter · Esc'],
    ['Delete the selected cell', 'Delete'],
  ],
  View: [
    ['Pan', 'Space+drag, middle drag'],
    ['Zoom to cursor', 'wheel'],
  ],
  Frames: [['Jump to a frame', 'the slider under the image (sequences only)']],
  Gallery: [
    ['Select a range / toggle one', 'Shift+click · Ctrl+click'],
    ['Open in the editor', 'double-click'],
  ],
};

export function ShortcutHelp({ onClose, preset }: { onClose: () => void; preset: ShortcutPreset }) {
  return (
    <Modal title={`Keyboard shortcuts · ${PRESET_LABEL[preset]}`} onClose={onClose} wide testId="shortcut-help">
      <p className="muted small" data-testid="shortcut-preset" data-preset={preset}>
        Preset: <strong>{PRESET_LABEL[preset]}</strong>. Change it in Settings → Keyboard.
      </p>
      <div className="shortcut-grid">
        {GROUPS.map((g) => (
          <section key={g}>
            <h3>{g}</h3>
            <table className="table compact">
              <tbody>
                {ACTIONS.filter((a) => a.group === g).map((a) => (
                  <tr key={a.id} data-testid="shortcut-row" data-action={a.id}>
                    <td>
                      {a.label}
                      {a.scopes.includes('gallery') && a.group !== 'Gallery' ? <span className="muted small"> · editor + gallery</span> : null}
                    </td>
                    <td className="num">
                      {keysFor(a.id, preset).map((k) => (
                        <kbd key={k}>{describe(k)}</kbd>
                      ))}
                    </td>
                  </tr>
                ))}
                {(GESTURES[g] ?? []).map(([what, how]) => (
                  <tr key={what}>
                    <td>{what}</td>
                    <td className="num muted">{how}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        ))}
      </div>
    </Modal>
  );
}
