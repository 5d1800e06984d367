// Issue 13's "Bad input" for sequences, through the CLI as a user meets it: a folder with gaps
// in its numbering, frames of another size, an unreadable frame and masks for frames that do
// not exist; a TIFF stack with one bad page. Every problem is reported per file with its
// reason and the rest imported; `hemaseg info --json` then counts sequences and frames, and
// `hemaseg evaluate` prints the per-sequence table.
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeCell, tempDir, writePng } from '../testing/fixtures';
import { writeTiffStack } from '../testing/tiff-writer';
import { Project } from '../project/project';

const CLI = resolve(__dirname, '../cli/index.ts');

function hemaseg(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], { cwd: resolve(__dirname, '../../..'), env: { ...process.env, HEMASEG_HOME: tempDir() } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('exit', (code) => done({ code: code ?? 1, stdout, stderr }));
  });
}

interface Report {
  imported: number;
  masksImported: number;
  skipped: { file: string; reason: string }[];
  notes: { file: string; note: string }[];
}

describe('bad sequence input, reported per file', () => {
  it('imports the good frames of a damaged folder and stack, and info/evaluate count them per sequence', async () => {
    const root = tempDir();
    const folder = join(root, 'clip');
    const masks = join(root, 'clip-masks');
    mkdirSync(folder);
    mkdirSync(masks);
    // Frames 1, 2, 3, 6, 7, 10 of 24x24 (8-9 missing); frame 4 is 30x30; frame 5 is not an image at all.
    for (const n of [1, 2, 3, 6, 7, 10]) await writePng(join(folder, `t${n}.png`), makeCell(n, 24, 24).rgb, 24, 24, 3);
    await writePng(join(folder, 't4.png'), makeCell(4, 30, 30).rgb, 30, 30, 3);
    await writePng(join(folder, 't5.png'), makeCell(5, 24, 24).rgb, 24, 24, 3);
    writeFileSync(join(folder, 't5.png'), readFileSync(join(folder, 't5.png')).subarray(0, 60)); // truncated
    // Masks for frames 2 and 6, and for frame 9, which does not exist.
    for (const n of [2, 6, 9]) await writePng(join(masks, `t${n}.png`), makeCell(n, 24, 24).gray3, 24, 24, 1);
    const stacks = join(root, 'stacks');
    mkdirSync(stacks);
    const page = (v: number): Uint8Array => Uint8Array.from({ length: 64 }, (_, i) => (v + i) % 256);
    writeFileSync(join(stacks, 'movie.tif'), writeTiffStack([0, 1, 2, 3].map((k) => ({ width: 8, height: 8, data: page(k * 30), broken: k === 2 }))));

    const p = join(root, 'p.hemaseg');
    Project.open(p, { create: true }).close();
    const a = await hemaseg(['import', p, folder, '--as-sequence', 'clip one', '--masks', masks, '--mask-convention', 'gray3', '--json']);
    expect(a.code, a.stderr).toBe(0);
    const ra = JSON.parse(a.stdout) as Report;
    expect(ra.imported).toBe(6);
    expect(ra.masksImported).toBe(2);
    const why = Object.fromEntries(ra.skipped.map((s) => [s.file.replace(/^.*\//, ''), s.reason]));
    expect(why['t4.png']).toMatch(/frame 4 is 30x30 but most frames are 24x24/);
    expect(why['t5.png']).toMatch(/unreadable PNG header/);
    expect(why['t9.png']).toMatch(/mask for frame 9, which the sequence does not have/);
    expect(ra.skipped).toHaveLength(3);
    // A gap in the numbering is a note on the frame after it; frames 4 and 5 exist as files (skipped above).
    expect(ra.notes).toEqual([{ file: 't10.png', note: 'gap in the numbering: frames 8-9 are missing before it' }]);

    const b = await hemaseg(['import', p, stacks, '--json']);
    expect(b.code, b.stderr).toBe(0);
    const rb = JSON.parse(b.stdout) as Report;
    expect(rb.imported).toBe(3);
    expect(rb.skipped.map((s) => `${s.file}: ${s.reason}`)).toEqual([expect.stringMatching(/^movie\.tif page 2: .*unreadable page/)]);

    const info = await hemaseg(['info', p, '--json']);
    expect(info.code, info.stderr).toBe(0);
    const counts = JSON.parse(info.stdout) as { images: number; sequences: number; frames: number; unusedFrames: number };
    expect(counts).toMatchObject({ images: 9, sequences: 2, frames: 9, unusedFrames: 0 });

    const ev = await hemaseg(['evaluate', p, '--pred', 'ground-truth', '--split', 'all', '--no-store']);
    expect(ev.code, ev.stderr).toBe(0);
    expect(ev.stdout).toMatch(/per sequence:\n\s+sequence\s+frames/);
    expect(ev.stdout).toMatch(/clip one\s+2\s+100\.0% ±0\.0/);
  }, 120_000);
});
