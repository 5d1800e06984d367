// User intents of the editor as named actions with shortcuts (Excalidraw style). The view
// supplies an ActionContext; the same table drives the keyboard, the toolbar tooltips and
// the shortcut help.
import type { DifficultyClass, Split } from '../../shared/domain';
import type { EditorSession } from './session';
import { matches, type KeyLike } from './shortcuts';
import type { ToolId } from './tools';

export interface ActionContext {
  session: EditorSession;
  save(): void;
  next(): void;
  previous(): void;
  fit(): void;
  zoom(factor: number): void;
  toggleOutline(): void;
  toggleOverlay(): void;
  setDifficulty(d: DifficultyClass | null): void;
  setSplit(s: Split): void;
  toggleHelp(): void;
}

export interface EditorAction {
  id: string;
  label: string;
  keys: string[];
  group: 'Tools' | 'Classes' | 'Edit' | 'View' | 'Image';
  perform(ctx: ActionContext): void;
}

const tool = (id: ToolId, label: string, key: string): EditorAction => ({
  id: `tool.${id}`,
  label,
  keys: [key],
  group: 'Tools',
  perform: ({ session }) => session.setTool(id),
});

const cls = (value: number, label: string): EditorAction => ({
  id: `class.${value}`,
  label,
  keys: [String(value + 1)],
  group: 'Classes',
  perform: ({ session }) => session.setClass(value),
});

const difficulty = (d: DifficultyClass): EditorAction => ({
  id: `difficulty.${d}`,
  label: `Difficulty class ${d}`,
  keys: [`alt+${d}`],
  group: 'Image',
  perform: (ctx) => ctx.setDifficulty(d),
});

export const EDITOR_ACTIONS: EditorAction[] = [
  tool('brush', 'Brush', 'b'),
  tool('eraser', 'Eraser', 'e'),
  tool('polygon', 'Polygon / lasso fill', 'l'),
  tool('bucket', 'Bucket fill', 'g'),
  tool('snap', 'Snap cell (active contour)', 'a'),
  tool('select', 'Select cell', 'v'),
  tool('split', 'Split cell', 'x'),
  tool('merge', 'Merge cells', 'm'),
  cls(0, 'Background'),
  cls(1, 'Cytoplasm'),
  cls(2, 'Nucleus'),
  cls(3, 'Edge'),
  { id: 'brush.smaller', label: 'Smaller brush', keys: ['['], group: 'Tools', perform: ({ session }) => session.stepBrush(-1) },
  { id: 'brush.larger', label: 'Larger brush', keys: [']'], group: 'Tools', perform: ({ session }) => session.stepBrush(1) },
  { id: 'undo', label: 'Undo', keys: ['mod+z'], group: 'Edit', perform: ({ session }) => session.undo() },
  { id: 'redo', label: 'Redo', keys: ['mod+shift+z', 'mod+y'], group: 'Edit', perform: ({ session }) => session.redo() },
  { id: 'save', label: 'Save as new ground-truth version', keys: ['mod+s'], group: 'Edit', perform: (ctx) => ctx.save() },
  { id: 'edges.derive', label: 'Derive edges from cells', keys: ['shift+e'], group: 'Edit', perform: ({ session }) => session.deriveEdgesNow() },
  { id: 'view.fit', label: 'Fit to window', keys: ['f'], group: 'View', perform: (ctx) => ctx.fit() },
  { id: 'view.zoomIn', label: 'Zoom in', keys: ['=', 'plus'], group: 'View', perform: (ctx) => ctx.zoom(1.25) },
  { id: 'view.zoomOut', label: 'Zoom out', keys: ['-'], group: 'View', perform: (ctx) => ctx.zoom(0.8) },
  { id: 'view.outline', label: 'Outline only', keys: ['o'], group: 'View', perform: (ctx) => ctx.toggleOutline() },
  { id: 'view.overlay', label: 'Hide / show mask', keys: ['h'], group: 'View', perform: (ctx) => ctx.toggleOverlay() },
  { id: 'view.help', label: 'Keyboard shortcuts', keys: ['?'], group: 'View', perform: (ctx) => ctx.toggleHelp() },
  { id: 'image.next', label: 'Next image', keys: ['.', 'pagedown'], group: 'Image', perform: (ctx) => ctx.next() },
  { id: 'image.previous', label: 'Previous image', keys: [',', 'pageup'], group: 'Image', perform: (ctx) => ctx.previous() },
  ...([1, 2, 3, 4, 5, 6, 7, 8] as DifficultyClass[]).map(difficulty),
  { id: 'difficulty.none', label: 'Clear difficulty class', keys: ['alt+0'], group: 'Image', perform: (ctx) => ctx.setDifficulty(null) },
  { id: 'split.train', label: 'Split: train', keys: ['alt+t'], group: 'Image', perform: (ctx) => ctx.setSplit('train') },
  { id: 'split.val', label: 'Split: validation', keys: ['alt+v'], group: 'Image', perform: (ctx) => ctx.setSplit('val') },
  { id: 'split.test', label: 'Split: test', keys: ['alt+e'], group: 'Image', perform: (ctx) => ctx.setSplit('test') },
];

export function findAction(e: KeyLike, actions: readonly EditorAction[] = EDITOR_ACTIONS): EditorAction | null {
  return actions.find((a) => a.keys.some((k) => matches(e, k))) ?? null;
}

export function actionById(id: string): EditorAction {
  const a = EDITOR_ACTIONS.find((x) => x.id === id);
  if (!a) throw new Error(`unknown action ${id}`);
  return a;
}
