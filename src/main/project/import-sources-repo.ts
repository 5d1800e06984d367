// The files a project's images and masks were imported from (table import_sources,
// migration 5): export-masks refuses to write over any of them.
import type { Db } from './open-project';

export type SourceRole = 'image' | 'mask';

export interface ImportedFile {
  imageId: number;
  role: SourceRole;
  path: string;
}

export class ImportSourcesRepo {
  constructor(private readonly db: Db) {}

  private hasTable(): boolean {
    // A project opened read-only is not migrated, so an older file may lack the table.
    return this.db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'import_sources'").get() !== undefined;
  }

  /** Record where an image (or its mask) came from; call inside the import's transaction. */
  record(imageId: number, role: SourceRole, path: string): void {
    if (!this.hasTable()) return;
    // Re-importing a folder adds nothing: one row per (image, role, path).
    this.db
      .prepare(
        `INSERT INTO import_sources (image_id, role, path, imported_at) SELECT ?, ?, ?, ?
         WHERE NOT EXISTS (SELECT 1 FROM import_sources WHERE image_id = ? AND role = ? AND path = ?)`,
      )
      .run(imageId, role, path, new Date().toISOString(), imageId, role, path);
  }

  /** Every recorded source file (absolute paths as they were at import time). */
  files(): ImportedFile[] {
    if (!this.hasTable()) return [];
    return (this.db.prepare('SELECT image_id, role, path FROM import_sources').all() as { image_id: number; role: SourceRole; path: string }[]).map((r) => ({
      imageId: r.image_id,
      role: r.role,
      path: r.path,
    }));
  }
}
