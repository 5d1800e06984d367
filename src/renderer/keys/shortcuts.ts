// Keyboard shortcut matching, independent of React and of the keyboard layout for letters
// and digits (KeyboardEvent.code), literal for punctuation ([ ] . ,).

export interface KeyLike {
  key: string;
  code: string;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
  altKey: boolean;
}

interface Parsed {
  mod: boolean;
  shift: boolean;
  alt: boolean;
  key: string;
}

function parse(spec: string): Parsed {
  const parts = spec.toLowerCase().split('+');
  const key = parts.pop() ?? '';
  return { mod: parts.includes('mod'), shift: parts.includes('shift'), alt: parts.includes('alt'), key: key === 'plus' ? '+' : key };
}

/** The key name used for matching: 'a'..'z', '0'..'9', or the lower-cased key ('[', 'pagedown'). */
export function keyName(e: KeyLike): string {
  if (/^Key[A-Z]$/.test(e.code)) return e.code.slice(3).toLowerCase();
  if (/^(Digit|Numpad)[0-9]$/.test(e.code)) return e.code.slice(-1);
  return e.key.toLowerCase();
}

export function matches(e: KeyLike, spec: string): boolean {
  const p = parse(spec);
  const mod = e.ctrlKey || e.metaKey;
  if (p.mod !== mod || p.alt !== e.altKey) return false;
  const name = keyName(e);
  // Punctuation already carries shift in its character ('{' vs '['): only check shift for
  // letters, digits and named keys.
  const shiftMatters = /^[a-z0-9]$/.test(p.key) || p.key.length > 1;
  if (shiftMatters && p.shift !== e.shiftKey) return false;
  return name === p.key;
}

const NAMES: Record<string, string> = {
  arrowleft: '←', arrowright: '→', arrowup: '↑', arrowdown: '↓', pageup: 'PageUp', pagedown: 'PageDown',
  plus: '+', escape: 'Esc', enter: 'Enter', backspace: 'Backspace', home: 'Home',
};

/** Human form for menus and tooltips: 'mod+shift+z' -> 'Ctrl+Shift+Z'. */
export function describe(spec: string, mac = false): string {
  const parts = spec.split('+');
  // 'plus' is the key itself; a literal '+' cannot appear in a spec.
  return parts
    .map((s) => (s === 'mod' ? (mac ? 'Cmd' : 'Ctrl') : (NAMES[s] ?? (s.length === 1 ? s.toUpperCase() : s[0].toUpperCase() + s.slice(1)))))
    .join('+');
}
