import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Project } from '../project/project';
import { importFolder } from '../transfer/import-folder';
import { buildReportInput } from '../reporting/build-report-input';
import { makeImageFolder, tempDir } from '../testing/fixtures';
import { escapeCsvText } from './csv-safe';
import { renderCsv } from './csvReport';
import { buildReportModel } from './model';
import { blank, cell, imageFor } from './testMasks';
import type { ReportImageInput } from './types';
import { writeReport } from './writeReport';

const input = (name: string, source: string): ReportImageInput => {
  const mask = blank(60, 60);
  cell(mask, 30, 30, 14, 6);
  return {
    name, hash: 'h', difficulty: null, typeTag: null, split: 'test', image: imageFor(mask), mask,
    maskKind: 'prediction', maskSource: source, modelVersion: source, maskVersionTime: '2025-01-01T00:00:00Z',
  };
};

describe('report hardening', () => {
  it('escapes text cells that a spreadsheet would run as formulas; numbers stay numbers', () => {
    for (const bad of ['=1+2', '+SUM(A1)', '-2+3', '@cmd', '\t=x', '\r=x']) expect(escapeCsvText(bad)).toBe(`'${bad}`);
    expect(escapeCsvText('img-001.png')).toBe('img-001.png');
    const model = buildReportModel({
      projectName: 'p', projectPath: '/p', createdAt: '2025-01-01T00:00:00Z', maskSource: 'x', calibration: 10, backend: null, modelVersion: null,
      images: [input('=HYPERLINK("http://evil","x").png', '@evil@1'), input('-plain.png', 'unet@1')],
    });
    const csv = renderCsv(model);
    const lines = csv.trim().split('\n');
    expect(lines[1]).toMatch(/^"'=HYPERLINK\(""http:\/\/evil"",""x""\)\.png",/);
    expect(lines[1]).toContain(",'@evil@1,");
    expect(lines[2]).toMatch(/^'-plain\.png,/);
    // Numeric cells are unquoted numbers (nucleus_px, cytoplasm_px ...).
    expect(lines[1]).toMatch(/,\d+,\d+,\d+,\d+,/);
    expect(lines.slice(1).every((l) => !/,'\d/.test(l))).toBe(true);
  });

  it('a corrupt mask blob skips that image, named in the flags with the reason; the rest is written', async () => {
    const dir = tempDir();
    await makeImageFolder(dir, 4, { formats: ['bmp'] });
    const p = Project.open(join(tempDir(), 'p.hemaseg'), { create: true });
    await importFolder(p, dir, { maskConvention: 'gray3' });
    const victim = p.images.list().find((i) => i.name === '0002.bmp')!;
    p.db.prepare('UPDATE masks SET labels = ? WHERE image_id = ?').run(Buffer.from('this is not deflate data'), victim.id);
    const { input: reportInput, unreadable } = await buildReportInput(p, { source: 'ground-truth', images: 'all', correctedOnly: false }, null);
    expect(unreadable.map((u) => u.name)).toEqual(['0002.bmp']);
    for (const ext of ['csv', 'html', 'pdf']) {
      const out = join(tempDir(), `r.${ext}`);
      const r = await writeReport(reportInput, out);
      expect(r.images, ext).toBe(4);
    }
    const out = join(tempDir(), 'r.csv');
    await writeReport(reportInput, out);
    const rows = readFileSync(out, 'utf8').trim().split('\n');
    const bad = rows.find((l) => l.startsWith('0002.bmp'))!;
    expect(bad).toContain('unreadable-mask');
    expect(bad).toMatch(/ground-truth mask version \d+ \(imported\) or its image cannot be read: .*(header|check|invalid)/i);
    expect(rows.filter((l) => /^000[134]\.bmp/.test(l) && /,yes,/.test(l)).length).toBeGreaterThanOrEqual(3);
    p.close();
  });
});
