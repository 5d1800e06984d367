// The files a project's images and masks were imported from; stored by the project's
// ImportSourcesRepo (src/main/project/import-sources-repo.ts).
import type { Project } from '../project/project';
import type { ImportedFile, SourceRole } from '../project/import-sources-repo';

export type { ImportedFile, SourceRole } from '../project/import-sources-repo';

/** Record where an image (or its mask) came from; call inside the import's transaction. */
export function recordImportSource(project: Project, imageId: number, role: SourceRole, path: string): void {
  project.importSources.record(imageId, role, path);
}

/** Every recorded source file (absolute paths as they were at import time). */
export function importedFiles(project: Project): ImportedFile[] {
  return project.importSources.files();
}
