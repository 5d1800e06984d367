// What one export format is: a description for the CLI and the UI, and a writer. The
// registry (registry.ts) lists them; a new format is one module plus one line there.
import type { InteropFormatInfo } from '../../shared/api';
import type { ImageSummary, LabelMap } from '../../shared/domain';

export interface ExportItem {
  image: ImageSummary;
  mask: LabelMap;
  /** Mask version written, for provenance in the output. */
  versionId: number;
}

export interface ExportContext {
  /** What the masks are: 'ground-truth', a model ref, 'active-contour'. */
  source: string;
  projectName: string;
  pixelsPerMicrometre: number;
  /** Unique output stem per image (names may repeat across folders). */
  stemOf(image: ImageSummary): string;
}

export interface ExportWriteResult {
  /** Paths written, relative to the target (a folder) or the target itself (a file). */
  files: string[];
  cells: number;
}

export interface InteropExporter {
  info: InteropFormatInfo;
  /**
   * Write every item. `target` is a fresh file path (writes: 'file') or a fresh, empty
   * folder (writes: 'folder'); the caller moves it into place only when this resolves.
   */
  write(items: Iterable<ExportItem>, target: string, ctx: ExportContext): Promise<ExportWriteResult>;
}
