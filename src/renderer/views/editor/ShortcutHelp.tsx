import { Modal } from '../../components/Modal';
import { EDITOR_ACTIONS } from '../../editor/actions';
import { describe } from '../../editor/shortcuts';

const GROUPS = ['Tools', 'Classes', 'Edit', 'View', 'Image'] as const;

export function ShortcutHelp({ onClose }: { onClose: () => void }) {
  return (
    <Modal title="Keyboard shortcuts" onClose={onClose} wide testId="shortcut-help">
      <div className="shortcut-grid">
        {GROUPS.map((g) => (
          <section key={g}>
            <h3>{g}</h3>
            <table className="table compact">
              <tbody>
                {EDITOR_ACTIONS.filter((a) => a.group === g && !a.id.startsWith('difficulty.') ).map((a) => (
                  <tr key={a.id}>
                    <td>{a.label}</td>
                    <td className="num">
                      {a.keys.map((k) => (
                        <kbd key={k}>{describe(k)}</kbd>
                      ))}
                    </td>
                  </tr>
                ))}
                {g === 'Image' && (
                  <tr>
                    <td>Difficulty class 1–8 / clear</td>
                    <td className="num">
                      <kbd>Alt+1</kbd>…<kbd>Alt+8</kbd> <kbd>Alt+0</kbd>
                    </td>
                  </tr>
                )}
                {g === 'View' && (
                  <>
                    <tr>
                      <td>Pan</td>
                      <td className="num">
                        <kbd>Space</kbd>+drag, middle drag
                      </td>
                    </tr>
                    <tr>
                      <td>Zoom to cursor</td>
                      <td className="num">wheel</td>
                    </tr>
                  </>
                )}
                {g === 'Tools' && (
                  <>
                    <tr>
                      <td>Erase with the brush</td>
                      <td className="num">right drag</td>
                    </tr>
                    <tr>
                      <td>Polygon: close / drop / undo vertex</td>
                      <td className="num">
                        <kbd>Enter</kbd> <kbd>Esc</kbd> <kbd>Backspace</kbd>
                      </td>
                    </tr>
                    <tr>
                      <td>Snap: accept / drop proposal</td>
                      <td className="num">
                        <kbd>Enter</kbd> <kbd>Esc</kbd>
                      </td>
                    </tr>
                    <tr>
                      <td>Delete the selected cell</td>
                      <td className="num">
                        <kbd>Delete</kbd>
                      </td>
                    </tr>
                  </>
                )}
              </tbody>
            </table>
          </section>
        ))}
      </div>
    </Modal>
  );
}
