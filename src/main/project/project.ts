import { basename, resolve } from 'node:path';
import { closeDatabase, openDatabase, type Db, type OpenOptions } from './open-project';
import { ImagesRepo } from './images-repo';
import { MasksRepo } from './masks-repo';
import { SettingsRepo } from './settings-repo';
import { ModelsRepo } from '../ml/registry/models-repo';
import { RunsRepo } from '../ml/registry/runs-repo';
import { EvaluationsRepo } from '../evaluation/evaluations-repo';
import { ImportSourcesRepo } from './import-sources-repo';
import { SequencesRepo } from './sequences-repo';
import { ComparisonsRepo } from '../evaluation/compare/comparisons-repo';
import { MASK_KINDS, SPLITS, type MaskKind, type ProjectCounts, type Split } from '../../shared/domain';

/**
 * An open project file: the repositories over one better-sqlite3 connection. Every table is
 * reached through one of these (no repository built elsewhere, no SQL outside them).
 */
export class Project {
  readonly images: ImagesRepo;
  readonly masks: MasksRepo;
  readonly settings: SettingsRepo;
  readonly models: ModelsRepo;
  readonly runs: RunsRepo;
  readonly evaluations: EvaluationsRepo;
  readonly importSources: ImportSourcesRepo;
  readonly sequences: SequencesRepo;
  readonly comparisons: ComparisonsRepo;

  private constructor(
    readonly path: string,
    readonly db: Db,
  ) {
    this.images = new ImagesRepo(db);
    this.masks = new MasksRepo(db);
    this.settings = new SettingsRepo(db);
    this.models = new ModelsRepo(db);
    this.runs = new RunsRepo(db);
    this.evaluations = new EvaluationsRepo(db);
    this.importSources = new ImportSourcesRepo(db);
    this.sequences = new SequencesRepo(db);
    this.comparisons = new ComparisonsRepo(db);
  }

  static open(path: string, opts: OpenOptions = {}): Project {
    const file = resolve(path);
    return new Project(file, openDatabase(file, opts));
  }

  get name(): string {
    return basename(this.path).replace(/\.hemaseg$/, '');
  }

  /**
   * Run `fn` in one transaction: all of it lands or none of it does. It begins IMMEDIATE
   * (takes the write lock first): a deferred transaction that reads and then writes gets
   * SQLITE_BUSY_SNAPSHOT in WAL mode when another process wrote in between, and the busy
   * timeout does not help there. Nested calls become savepoints of the outer one.
   */
  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn).immediate();
  }

  counts(): ProjectCounts {
    const images = this.images.count();
    const masksByKind = Object.fromEntries(MASK_KINDS.map((k) => [k, 0])) as Record<MaskKind, number>;
    const imagesWithMaskKind = Object.fromEntries(MASK_KINDS.map((k) => [k, 0])) as Record<MaskKind, number>;
    for (const [k, v] of Object.entries(this.masks.countByKind())) {
      masksByKind[k as MaskKind] = v.versions;
      imagesWithMaskKind[k as MaskKind] = v.images;
    }
    const groups = this.images.groupCounts();
    const byDifficulty = groups.byDifficulty;
    const bySplit = Object.fromEntries(SPLITS.map((s) => [s, groups.bySplit[s] ?? 0])) as Record<Split, number>;
    const sequences = this.sequences.count();
    const { frames, unused: unusedFrames } = this.sequences.frameCounts();
    const byReview = this.images.reviewCounts();
    const byTag = Object.fromEntries(this.images.tagCounts().map((t) => [t.tag, t.images]));
    return { images, masksByKind, imagesWithMaskKind, byDifficulty, bySplit, byReview, byTag, sequences, frames, unusedFrames };
  }

  /** Close; a writer checkpoints the WAL first so the file alone is complete (see closeDatabase). */
  close(): void {
    closeDatabase(this.db);
  }
}
