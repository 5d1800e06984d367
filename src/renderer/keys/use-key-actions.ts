// The one keyboard listener of a view: tool keys first (Enter, Escape, Backspace of an
// unfinished polygon), then the registry's actions for the view and the active preset.
// Keys typed into form fields stay there (except Ctrl+S), and an open dialog other than the
// help sheet takes the keyboard.
import { useEffect, useRef } from 'react';
import type { ShortcutPreset } from '../../shared/domain';
import { findAction, type ActionContext } from './registry';

const NOT_TYPING = new Set(['checkbox', 'radio', 'button', 'submit', 'reset', 'color']);

/** Keys go to text fields, lists and sliders; a focused checkbox or button does not take them. */
function typingIn(t: EventTarget | null): boolean {
  if (t instanceof HTMLInputElement) return !NOT_TYPING.has(t.type);
  return t instanceof HTMLTextAreaElement || t instanceof HTMLSelectElement;
}

export function useKeyActions(ctx: ActionContext | null, preset: ShortcutPreset, options: { toolKey?: (key: string) => boolean; helpOpen?: boolean } = {}): void {
  const opts = useRef(options);
  opts.current = options;
  useEffect(() => {
    if (!ctx) return;
    const onKey = (e: KeyboardEvent): void => {
      if (e.defaultPrevented) return;
      const modal = document.querySelector('.modal-backdrop');
      if (modal && !(opts.current.helpOpen && modal.querySelector('[data-testid=shortcut-help]'))) return;
      const typing = typingIn(e.target);
      if (typing && !((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 's')) return;
      if (!typing && opts.current.toolKey?.(e.key)) {
        e.preventDefault();
        return;
      }
      const action = findAction(e, ctx.scope, preset);
      if (!action) return;
      // The help sheet handles its own Escape (close).
      if (modal && action.id !== 'view.help') return;
      e.preventDefault();
      action.perform(ctx);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [ctx, preset]);
}
