import { basename, resolve } from 'node:path';
import { closeDatabase, openDatabase, type Db, type OpenOptions } from './open-project';
import { ImagesRepo } from './images-repo';
import { MasksRepo } from './masks-repo';
import { SettingsRepo } from './settings-repo';
import { MASK_KINDS, SPLITS, type MaskKind, type ProjectCounts, type Split } from '../../shared/domain';

/** An open project file: the repositories over one better-sqlite3 connection. */
export class Project {
  readonly images: ImagesRepo;
  readonly masks: MasksRepo;
  readonly settings: SettingsRepo;

  private constructor(
    readonly path: string,
    readonly db: Db,
  ) {
    this.images = new ImagesRepo(db);
    this.masks = new MasksRepo(db);
    this.settings = new SettingsRepo(db);
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
    const db = this.db;
    const images = this.images.count();
    const masksByKind = Object.fromEntries(MASK_KINDS.map((k) => [k, 0])) as Record<MaskKind, number>;
    const imagesWithMaskKind = Object.fromEntries(MASK_KINDS.map((k) => [k, 0])) as Record<MaskKind, number>;
    for (const [k, v] of Object.entries(this.masks.countByKind())) {
      masksByKind[k as MaskKind] = v.versions;
      imagesWithMaskKind[k as MaskKind] = v.images;
    }
    const byDifficulty: Record<string, number> = {};
    for (const r of db.prepare('SELECT difficulty AS d, count(*) AS n FROM images GROUP BY difficulty').all() as { d: number | null; n: number }[]) {
      byDifficulty[r.d === null ? 'none' : String(r.d)] = r.n;
    }
    const bySplit = Object.fromEntries(SPLITS.map((s) => [s, 0])) as Record<Split, number>;
    for (const r of db.prepare('SELECT split AS s, count(*) AS n FROM images GROUP BY split').all() as { s: Split; n: number }[]) bySplit[r.s] = r.n;
    const sequences = (db.prepare('SELECT count(DISTINCT sequence_id) AS n FROM images WHERE sequence_id IS NOT NULL').get() as { n: number }).n;
    const byReview = this.images.reviewCounts();
    const byTag = Object.fromEntries(this.images.tagCounts().map((t) => [t.tag, t.images]));
    return { images, masksByKind, imagesWithMaskKind, byDifficulty, bySplit, byReview, byTag, sequences };
  }

  /** Close; a writer checkpoints the WAL first so the file alone is complete (see closeDatabase). */
  close(): void {
    closeDatabase(this.db);
  }
}
