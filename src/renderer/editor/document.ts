// The editing document of one image: which mask the session started from, what is saved,
// and the rules that keep uncorrected predictions from silently becoming ground truth:
//   - choosing a starting mask (current ground truth, a prediction, the baseline, empty) is
//     not an edit: the session restarts clean;
//   - only real edits make the session dirty, and only a dirty session is saved (manually,
//     by autosave, or from the leave prompt);
//   - storing a prediction unchanged as ground truth takes the explicit accept(), whose
//     version records the source it accepted (parent + note);
//   - discard() goes back to the session's start; restore() records the version it restores.
// Pure TS with an injected API so tests drive it without a browser.
import type { ImageSummary, LabelMap, MaskKind, MaskVersionInfo } from '../../shared/domain';
import { EditorSession, type SessionOptions } from './session';

export interface StartOption {
  key: string;
  label: string;
  versionId: number | null;
  kind: MaskKind | null;
  source: string | null;
}

export interface DocumentApi {
  versions(imageId: number): Promise<MaskVersionInfo[]>;
  load(versionId: number): Promise<LabelMap>;
  save(req: { imageId: number; parentId: number | null; labels: Uint8Array; instances?: Uint16Array; note?: string }): Promise<MaskVersionInfo>;
  restore(versionId: number): Promise<MaskVersionInfo>;
}

export function versionLabel(v: Pick<MaskVersionInfo, 'kind' | 'source'>): string {
  return v.kind === 'ground-truth' ? `ground truth (${v.source})` : `${v.kind}: ${v.source}`;
}

/** The current version of each (kind, source), ground truth first, newest first. */
export function currentVersions(versions: readonly MaskVersionInfo[]): MaskVersionInfo[] {
  const order = { 'ground-truth': 0, prediction: 1, baseline: 2 } as const;
  return versions.filter((v) => v.isCurrent).sort((a, b) => order[a.kind] - order[b.kind] || b.createdAt.localeCompare(a.createdAt) || b.id - a.id);
}

export function optionOf(v: MaskVersionInfo, withId = false): StartOption {
  return { key: `v${v.id}`, label: `${versionLabel(v)}${withId ? ` #${v.id}` : ''}`, versionId: v.id, kind: v.kind, source: v.source };
}

export const EMPTY_START: StartOption = { key: 'empty', label: 'empty mask', versionId: null, kind: null, source: null };

export function startOptions(versions: readonly MaskVersionInfo[]): StartOption[] {
  return [...currentVersions(versions).map((v) => optionOf(v)), EMPTY_START];
}

/** How the accepted or saved version describes where it came from. */
export function provenanceNote(start: StartOption, edited: boolean, reason: SaveReason): string | undefined {
  if (reason === 'auto') return start.kind && start.kind !== 'ground-truth' ? `autosave, edited from ${versionLabel({ kind: start.kind, source: start.source ?? '' })} #${start.versionId}` : 'autosave';
  if (start.kind === null) return edited ? undefined : 'accepted an empty mask';
  const what = `${versionLabel({ kind: start.kind, source: start.source ?? '' })} #${start.versionId}`;
  if (!edited) return `accepted unchanged: ${what}`;
  return start.kind === 'ground-truth' ? undefined : `edited from ${what}`;
}

export type SaveReason = 'manual' | 'auto' | 'leave' | 'accept';
/** saved: a new version exists; unchanged: nothing to save; failed: see saveError; busy: a save is running. */
export type SaveOutcome = 'saved' | 'unchanged' | 'failed' | 'busy';

export class EditorDocumentModel {
  image: ImageSummary | null = null;
  versions: MaskVersionInfo[] = [];
  session: EditorSession | null = null;
  start: StartOption | null = null;
  parentId: number | null = null;
  error: string | null = null;
  saving = false;
  saveError: string | null = null;
  lastSaved: MaskVersionInfo | null = null;
  private startMap: LabelMap | null = null;
  private version = 0;
  private listeners = new Set<() => void>();
  private closed = false;

  constructor(
    readonly imageId: number,
    private readonly api: DocumentApi,
    private readonly sessionOptions: SessionOptions = {},
  ) {}

  subscribe = (fn: () => void): (() => void) => {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  };

  getVersion = (): number => this.version;

  private emit(): void {
    this.version++;
    this.listeners.forEach((l) => l());
  }

  close(): void {
    this.closed = true;
  }

  /** Load the versions and start from the first option (current ground truth first). */
  async open(image: ImageSummary): Promise<void> {
    try {
      this.image = image;
      this.versions = await this.api.versions(this.imageId);
      const start = startOptions(this.versions)[0];
      const map = start.versionId !== null ? await this.api.load(start.versionId) : null;
      if (this.closed) return;
      this.session = map ? new EditorSession(map, this.sessionOptions) : new EditorSession({ width: image.width, height: image.height }, this.sessionOptions);
      this.start = start;
      this.startMap = map;
      this.parentId = start.versionId;
    } catch (e) {
      this.error = e instanceof Error ? e.message : String(e);
    }
    this.emit();
  }

  loadVersion(versionId: number): Promise<LabelMap> {
    return this.api.load(versionId);
  }

  setImage(img: ImageSummary): void {
    this.image = img;
    this.emit();
  }

  get dirty(): boolean {
    return this.session?.isDirty ?? false;
  }

  /** Whether "Accept as ground truth" would store something: edits, or a start that is not the current ground truth. */
  get canAccept(): boolean {
    if (!this.session || !this.start) return false;
    if (this.dirty) return true;
    const v = this.versions.find((x) => x.id === this.start?.versionId);
    return !(v && v.kind === 'ground-truth' && v.isCurrent);
  }

  async reloadVersions(): Promise<void> {
    try {
      this.versions = await this.api.versions(this.imageId);
      this.emit();
    } catch {
      // The list refreshes on the next change.
    }
  }

  /**
   * Save the session as a new ground-truth version. Saves (manual, auto, leave) need real
   * edits; 'accept' also stores an unedited start that is not the current ground truth.
   */
  async save(reason: SaveReason): Promise<SaveOutcome> {
    const session = this.session;
    const start = this.start;
    if (!session || !start) return 'failed';
    if (this.saving) return 'busy';
    const edited = session.isDirty;
    if (!edited && (reason !== 'accept' || !this.canAccept)) return 'unchanged';
    this.saving = true;
    this.emit();
    const snapshot = session.currentSnapshot();
    const map = session.toLabelMap();
    try {
      const info = await this.api.save({ imageId: this.imageId, parentId: this.parentId, labels: map.labels, instances: map.instances, note: provenanceNote(start, edited, reason) });
      session.markSaved(snapshot);
      this.parentId = info.id;
      this.lastSaved = info;
      this.start = optionOf(info);
      this.startMap = map;
      this.saveError = null;
      void this.reloadVersions();
      return 'saved';
    } catch (e) {
      this.saveError = e instanceof Error ? e.message : String(e);
      return 'failed';
    } finally {
      this.saving = false;
      this.emit();
    }
  }

  /** Start from another mask (not an edit). The caller asks first when the session is dirty. */
  async startFrom(option: StartOption): Promise<void> {
    if (!this.session) return;
    try {
      const map = option.versionId !== null ? await this.api.load(option.versionId) : null;
      this.session.resetTo(map, `Start from ${option.label}`);
      this.start = option;
      this.startMap = map;
      this.parentId = option.versionId;
    } catch (e) {
      this.error = e instanceof Error ? e.message : String(e);
    }
    this.emit();
  }

  /** Throw away the edits: back to the mask the session started from. */
  discard(): void {
    if (!this.session || !this.start) return;
    this.session.resetTo(this.startMap, `Start from ${this.start.label}`);
    this.emit();
  }

  /** Make an older version current again; the new version records which one it restores. */
  async restore(versionId: number): Promise<void> {
    if (!this.session) return;
    try {
      const info = await this.api.restore(versionId);
      const map = await this.api.load(info.id);
      this.session.resetTo(map, `Restored version #${versionId}`);
      this.parentId = info.id;
      this.lastSaved = info;
      this.start = optionOf(info);
      this.startMap = map;
      this.saveError = null;
      await this.reloadVersions();
    } catch (e) {
      this.saveError = e instanceof Error ? e.message : String(e);
    }
    this.emit();
  }
}
