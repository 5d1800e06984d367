// Image tags from a CSV: `file,tag` (a header naming a file column and a tag column; several
// tags in one cell separated by ';'), or wbc-dataset1's class-labels.csv (`image ID,class
// label`: a numeric image id, 1 = 001.bmp, and a WBC type number 1-5). Tags are added to an
// image's tags; the reports group CNR by WBC-type tags.
import { existsSync, readFileSync } from 'node:fs';
import { basename, extname, join, resolve } from 'node:path';
import type { ImportReport } from '../../shared/domain';
import type { TagImportReport } from '../../shared/api';
import type { Project } from './project';

/**
 * wbc-dataset1's type numbers. The data set's README gives only numbers; these names match
 * the counts its paper reports (176 neutrophils, 53 lymphocytes, 48 monocytes, 22
 * eosinophils, 1 basophil), which are exactly the counts of 1..5 in class-labels.csv.
 */
export const WBC_DATASET1_TYPES: Record<string, string> = { '1': 'neutrophil', '2': 'lymphocyte', '3': 'monocyte', '4': 'eosinophil', '5': 'basophil' };

/** CSV files read beside the images at import, in this order. */
export const TAG_FILES_BESIDE = ['tags.csv', 'class-labels.csv'];

export class TagsCsvError extends Error {}

interface TagRow {
  row: number;
  file: string;
  tags: string[];
}

/** Split one CSV line (double quotes may hold commas; "" is a quote). */
function splitCsvLine(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cur += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      out.push(cur.trim());
      cur = '';
    } else cur += c;
  }
  out.push(cur.trim());
  return out;
}

export function parseTagsCsv(text: string, file: string): { rows: TagRow[]; kind: 'file-tag' | 'wbc-dataset1' } {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const header = splitCsvLine(lines[0] ?? '').map((h) => h.toLowerCase());
  const fileCol = header.findIndex((h) => ['file', 'filename', 'file_name', 'image', 'name', 'image id', 'image_id', 'id'].includes(h));
  const tagCol = header.findIndex((h) => ['tag', 'tags', 'label', 'class', 'class label', 'class_label', 'type', 'wbc type'].includes(h));
  if (fileCol < 0 || tagCol < 0) {
    throw new TagsCsvError(`${file}: the header must name a file column (file, image, image ID) and a tag column (tag, tags, class label); found '${lines[0] ?? ''}'`);
  }
  const kind = header[fileCol] === 'image id' && header[tagCol] === 'class label' ? 'wbc-dataset1' : 'file-tag';
  const rows: TagRow[] = [];
  for (let k = 1; k < lines.length; k++) {
    if (!lines[k].trim()) continue;
    const cols = splitCsvLine(lines[k]);
    const raw = cols[tagCol] ?? '';
    const tags = raw.split(';').map((t) => t.trim()).filter(Boolean).map((t) => (kind === 'wbc-dataset1' ? (WBC_DATASET1_TYPES[t] ?? `class-${t}`) : t));
    rows.push({ row: k + 1, file: cols[fileCol] ?? '', tags });
  }
  return { rows, kind };
}

const stemOf = (name: string): string => basename(name, extname(name));

/** Tag the images a CSV names. Matching: exact file name, else stem, else the same number (1 = 001). */
export function applyTagsCsv(project: Project, path: string): TagImportReport {
  const file = resolve(path);
  if (!existsSync(file)) throw new TagsCsvError(`${file}: no such file`);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new TagsCsvError(`${file}: cannot read (${(err as Error).message})`);
  }
  const { rows } = parseTagsCsv(text, file);
  const images = project.images.list();
  const index = (key: (n: string) => string | null): Map<string, number[]> => {
    const m = new Map<string, number[]>();
    for (const img of images) {
      const k = key(img.name);
      if (k !== null) m.set(k, [...(m.get(k) ?? []), img.id]);
    }
    return m;
  };
  const numberKey = (n: string): string | null => (/^\d+$/.test(stemOf(n)) ? String(Number(stemOf(n))) : null);
  const byName = index((n) => n);
  const byStem = index(stemOf);
  const byNumber = index(numberKey);
  const report: TagImportReport = { file, rows: rows.length, tagged: 0, unmatched: [], tags: {} };
  const updates: { ids: number[]; tags: string[] }[] = [];
  for (const r of rows) {
    if (!r.file) {
      report.unmatched.push({ row: r.row, file: r.file, reason: 'no file name' });
      continue;
    }
    if (!r.tags.length) {
      report.unmatched.push({ row: r.row, file: r.file, reason: 'no tag' });
      continue;
    }
    const name = basename(r.file.replace(/\\/g, '/'));
    const ids = byName.get(name) ?? byStem.get(stemOf(name)) ?? (numberKey(name) !== null ? byNumber.get(numberKey(name)!) : undefined) ?? [];
    if (!ids.length) {
      report.unmatched.push({ row: r.row, file: r.file, reason: 'no project image has this name' });
      continue;
    }
    updates.push({ ids, tags: r.tags });
    report.tagged += ids.length;
    for (const t of r.tags) report.tags[t] = (report.tags[t] ?? 0) + ids.length;
  }
  project.transaction(() => {
    for (const u of updates) project.images.update(u.ids, { addTags: u.tags });
  });
  return report;
}

/** At import: apply a tags CSV found beside the images; what it could not use becomes notes of the import report. */
export function applyTagFilesBeside(project: Project, folder: string, report: ImportReport): void {
  for (const name of TAG_FILES_BESIDE) {
    const path = join(folder, name);
    if (!existsSync(path)) continue;
    try {
      const r = applyTagsCsv(project, path);
      const summary = Object.entries(r.tags).map(([t, n]) => `${t} ${n}`).join(', ');
      report.notes.push({ file: name, note: `tagged ${r.tagged} images (${summary || 'no tags'})${r.unmatched.length ? `; ${r.unmatched.length} rows unused, e.g. row ${r.unmatched[0].row}: ${r.unmatched[0].reason}` : ''}` });
    } catch (err) {
      report.skipped.push({ file: name, reason: `tags not read: ${(err as Error).message}` });
    }
  }
}
