// Every user intent of the editor and the gallery as a named action (Excalidraw style), with
// its key bindings per shortcut preset. The same table drives the keyboard, the toolbar
// tooltips and the help sheet, so no view has key handlers of its own.
//   HemaSeg   the house keys; `,` `.` and arrows/A/D walk the images.
//   Cellpose  `,` `.` change the brush size; A/D and arrows walk the images; X/Z masks/outlines.
//   napari    P paint, E erase, F fill, L pick (select); Home / R fit.
// Sequence frames step with < and > in every preset (ImageJ's stack keys; Alt+arrows too),
// so the image keys (arrows, A/D, , .) keep walking the gallery order.
import type { DifficultyClass, ReviewState, ShortcutPreset, Split } from '../../shared/domain';
import type { EditorSession } from '../editor/session';
import type { ToolId } from '../editor/tools';
import { matches, type KeyLike } from './shortcuts';

export type { ReviewState };
export type Scope = 'editor' | 'gallery';

/** What both views offer. */
interface CommonContext {
  next(): void;
  previous(): void;
  setDifficulty(d: DifficultyClass | null): void;
  setSplit(s: Split): void;
  setReview(r: ReviewState): void;
  toggleOverlay(): void;
  toggleOutline(): void;
  toggleHelp(): void;
}

export interface EditorContext extends CommonContext {
  scope: 'editor';
  session: EditorSession;
  save(): void;
  accept(): void;
  discard(): void;
  segment(): void;
  fit(): void;
  zoom(factor: number): void;
  /** Sequence frames (no-ops with a note on an image that is no frame). */
  frame(dir: 1 | -1): void;
  togglePlay(): void;
  toggleOnion(): void;
  copyPreviousMask(): void;
}

export interface GalleryContext extends CommonContext {
  scope: 'gallery';
  open(): void;
  selectAll(): void;
  clearSelection(): void;
}

export type ActionContext = EditorContext | GalleryContext;

export type ActionGroup = 'Tools' | 'Classes' | 'Edit' | 'View' | 'Image' | 'Frames' | 'Gallery';

export interface Action {
  id: string;
  label: string;
  group: ActionGroup;
  scopes: readonly Scope[];
  perform(ctx: ActionContext): void;
}

const EDITOR: readonly Scope[] = ['editor'];
const BOTH: readonly Scope[] = ['editor', 'gallery'];
const GALLERY: readonly Scope[] = ['gallery'];

const inEditor =
  (fn: (ctx: EditorContext) => void) =>
  (ctx: ActionContext): void => {
    if (ctx.scope === 'editor') fn(ctx);
  };
const inGallery =
  (fn: (ctx: GalleryContext) => void) =>
  (ctx: ActionContext): void => {
    if (ctx.scope === 'gallery') fn(ctx);
  };

const tool = (id: ToolId, label: string): Action => ({ id: `tool.${id}`, label, group: 'Tools', scopes: EDITOR, perform: inEditor(({ session }) => session.setTool(id)) });
const cls = (value: number, label: string): Action => ({ id: `class.${value}`, label, group: 'Classes', scopes: EDITOR, perform: inEditor(({ session }) => session.setClass(value)) });
const difficulty = (d: DifficultyClass): Action => ({ id: `difficulty.${d}`, label: `Difficulty class ${d}`, group: 'Image', scopes: BOTH, perform: (ctx) => ctx.setDifficulty(d) });

export const ACTIONS: readonly Action[] = [
  tool('brush', 'Brush'),
  tool('eraser', 'Eraser'),
  tool('polygon', 'Polygon / lasso fill'),
  tool('bucket', 'Bucket fill'),
  tool('snap', 'Snap cell (active contour)'),
  tool('select', 'Select cell'),
  tool('split', 'Split cell'),
  tool('merge', 'Merge cells'),
  cls(0, 'Background'),
  cls(1, 'Cytoplasm'),
  cls(2, 'Nucleus'),
  cls(3, 'Edge'),
  { id: 'brush.smaller', label: 'Smaller brush', group: 'Tools', scopes: EDITOR, perform: inEditor(({ session }) => session.stepBrush(-1)) },
  { id: 'brush.larger', label: 'Larger brush', group: 'Tools', scopes: EDITOR, perform: inEditor(({ session }) => session.stepBrush(1)) },
  { id: 'undo', label: 'Undo', group: 'Edit', scopes: EDITOR, perform: inEditor(({ session }) => session.undo()) },
  { id: 'redo', label: 'Redo', group: 'Edit', scopes: EDITOR, perform: inEditor(({ session }) => session.redo()) },
  { id: 'save', label: 'Save edits as a new ground-truth version', group: 'Edit', scopes: EDITOR, perform: inEditor((c) => c.save()) },
  { id: 'accept', label: 'Accept as ground truth (also an unedited prediction)', group: 'Edit', scopes: EDITOR, perform: inEditor((c) => c.accept()) },
  { id: 'discard', label: "Discard edits (back to the session's start)", group: 'Edit', scopes: EDITOR, perform: inEditor((c) => c.discard()) },
  { id: 'segment', label: 'Segment this image (model or active contour)', group: 'Edit', scopes: EDITOR, perform: inEditor((c) => c.segment()) },
  { id: 'edges.derive', label: 'Derive edges from cells', group: 'Edit', scopes: EDITOR, perform: inEditor(({ session }) => session.deriveEdgesNow()) },
  { id: 'view.fit', label: 'Fit to window', group: 'View', scopes: EDITOR, perform: inEditor((c) => c.fit()) },
  { id: 'view.zoomIn', label: 'Zoom in', group: 'View', scopes: EDITOR, perform: inEditor((c) => c.zoom(1.25)) },
  { id: 'view.zoomOut', label: 'Zoom out', group: 'View', scopes: EDITOR, perform: inEditor((c) => c.zoom(0.8)) },
  { id: 'view.overlay', label: 'Show / hide masks', group: 'View', scopes: BOTH, perform: (c) => c.toggleOverlay() },
  { id: 'view.outline', label: 'Outlines only / filled', group: 'View', scopes: BOTH, perform: (c) => c.toggleOutline() },
  { id: 'view.help', label: 'Keyboard shortcuts', group: 'View', scopes: BOTH, perform: (c) => c.toggleHelp() },
  { id: 'image.next', label: 'Next image (asks about unsaved edits)', group: 'Image', scopes: BOTH, perform: (c) => c.next() },
  { id: 'image.previous', label: 'Previous image (asks about unsaved edits)', group: 'Image', scopes: BOTH, perform: (c) => c.previous() },
  { id: 'frame.next', label: 'Next frame of the sequence (asks about unsaved edits)', group: 'Frames', scopes: EDITOR, perform: inEditor((c) => c.frame(1)) },
  { id: 'frame.previous', label: 'Previous frame of the sequence (asks about unsaved edits)', group: 'Frames', scopes: EDITOR, perform: inEditor((c) => c.frame(-1)) },
  { id: 'frame.play', label: 'Play / pause the frames', group: 'Frames', scopes: EDITOR, perform: inEditor((c) => c.togglePlay()) },
  { id: 'frame.onion', label: "Onion skin: the previous frame's mask as outlines", group: 'Frames', scopes: EDITOR, perform: inEditor((c) => c.toggleOnion()) },
  { id: 'frame.copyPrevious', label: "Copy the mask of the previous frame (an edit: undo takes it back)", group: 'Frames', scopes: EDITOR, perform: inEditor((c) => c.copyPreviousMask()) },
  ...([1, 2, 3, 4, 5, 6, 7, 8] as DifficultyClass[]).map(difficulty),
  { id: 'difficulty.none', label: 'Clear difficulty class', group: 'Image', scopes: BOTH, perform: (c) => c.setDifficulty(null) },
  { id: 'split.train', label: 'Split: train', group: 'Image', scopes: BOTH, perform: (c) => c.setSplit('train') },
  { id: 'split.val', label: 'Split: validation', group: 'Image', scopes: BOTH, perform: (c) => c.setSplit('val') },
  { id: 'split.test', label: 'Split: test', group: 'Image', scopes: BOTH, perform: (c) => c.setSplit('test') },
  { id: 'review.reviewed', label: 'Mark reviewed', group: 'Image', scopes: BOTH, perform: (c) => c.setReview('reviewed') },
  { id: 'review.draft', label: 'Mark draft (back to review)', group: 'Image', scopes: BOTH, perform: (c) => c.setReview('draft') },
  { id: 'gallery.open', label: 'Open the selected image in the editor', group: 'Gallery', scopes: GALLERY, perform: inGallery((c) => c.open()) },
  { id: 'gallery.selectAll', label: 'Select all shown images', group: 'Gallery', scopes: GALLERY, perform: inGallery((c) => c.selectAll()) },
  { id: 'gallery.clear', label: 'Clear the selection', group: 'Gallery', scopes: GALLERY, perform: inGallery((c) => c.clearSelection()) },
];

type Keymap = Record<string, readonly string[]>;

const HEMASEG: Keymap = {
  'tool.brush': ['b'],
  'tool.eraser': ['e'],
  'tool.polygon': ['l'],
  'tool.bucket': ['g'],
  'tool.snap': ['s'],
  'tool.select': ['v'],
  'tool.split': ['k'],
  'tool.merge': ['m'],
  'class.0': ['1'],
  'class.1': ['2'],
  'class.2': ['3'],
  'class.3': ['4'],
  'brush.smaller': ['['],
  'brush.larger': [']'],
  undo: ['mod+z'],
  redo: ['mod+shift+z', 'mod+y'],
  save: ['mod+s'],
  accept: ['mod+enter'],
  discard: ['shift+backspace'],
  segment: ['shift+s'],
  'edges.derive': ['shift+e'],
  'view.fit': ['f', 'home'],
  'view.zoomIn': ['=', 'plus'],
  'view.zoomOut': ['-'],
  'view.overlay': ['x', 'h'],
  'view.outline': ['z', 'o'],
  'view.help': ['?'],
  'image.next': ['arrowright', 'd', 'pagedown', '.'],
  'image.previous': ['arrowleft', 'a', 'pageup', ','],
  'frame.next': ['>', 'alt+arrowright'],
  'frame.previous': ['<', 'alt+arrowleft'],
  'frame.play': ['alt+p'],
  'frame.onion': ['shift+o'],
  'frame.copyPrevious': ['shift+c'],
  ...Object.fromEntries([1, 2, 3, 4, 5, 6, 7, 8].map((d) => [`difficulty.${d}`, [`alt+${d}`]])),
  'difficulty.none': ['alt+0'],
  'split.train': ['alt+t'],
  'split.val': ['alt+v'],
  'split.test': ['alt+e'],
  'review.reviewed': ['shift+r'],
  'review.draft': ['shift+d'],
  'gallery.open': ['enter'],
  'gallery.selectAll': ['mod+a'],
  'gallery.clear': ['escape'],
};

export const KEYMAPS: Record<ShortcutPreset, Keymap> = {
  hemaseg: HEMASEG,
  cellpose: {
    ...HEMASEG,
    'brush.smaller': [',', '['],
    'brush.larger': ['.', ']'],
    'image.next': ['arrowright', 'd', 'pagedown'],
    'image.previous': ['arrowleft', 'a', 'pageup'],
  },
  napari: {
    ...HEMASEG,
    'tool.brush': ['p'],
    'tool.eraser': ['e'],
    'tool.bucket': ['f'],
    'tool.select': ['l'],
    'tool.polygon': ['shift+p'],
    'view.fit': ['home', 'r'],
  },
};

export const PRESET_LABEL: Record<ShortcutPreset, string> = {
  hemaseg: 'HemaSeg',
  cellpose: 'Cellpose-like (, and . change the brush size)',
  napari: 'napari-like (P paint, E erase, F fill)',
};

export function keysFor(id: string, preset: ShortcutPreset): readonly string[] {
  return KEYMAPS[preset][id] ?? [];
}

export function actionById(id: string): Action {
  const a = ACTIONS.find((x) => x.id === id);
  if (!a) throw new Error(`unknown action ${id}`);
  return a;
}

export function findAction(e: KeyLike, scope: Scope, preset: ShortcutPreset): Action | null {
  return ACTIONS.find((a) => a.scopes.includes(scope) && keysFor(a.id, preset).some((k) => matches(e, k))) ?? null;
}
