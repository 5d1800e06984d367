// SegNet and DeconvNet from the command line, end to end on a tiny generated project: the
// families are listed, trained (one epoch of tiny networks), listed in the registry with their
// architecture, and a config whose poolings do not divide the input is refused before a run.
import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../testing/fixtures';

const CLI = resolve(__dirname, '../../cli/index.ts');

function hemaseg(args: string[]): Promise<{ code: number; out: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], { cwd: resolve(__dirname, '../../../..'), stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, HEMASEG_HOME: tempDir(), HOME: '/tmp' } });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('exit', (code) => done({ code: code ?? 1, out }));
  });
}

describe('hemaseg train --family segnet|deconvnet', () => {
  it('trains both families on a tiny project and refuses sizes the poolings do not divide', async () => {
    const p = join(tempDir(), 'p.hemaseg');
    expect((await hemaseg(['synth', 'smear', p, '--count', '4', '--size', '32', '--seed', '5'])).code).toBe(0);
    const families = await hemaseg(['families', '--json']);
    expect(families.code).toBe(0);
    expect(families.out).toContain('"segnet"');
    expect(families.out).toContain('"deconvnet-unpool"');
    const seg = await hemaseg(['train', p, '--name', 'seg', '--family', 'segnet', '--size', '32', '--depth', '2', '--kernel', '3', '--base-filters', '2', '--max-filters', '4', '--epochs', '1', '--batch', '4']);
    expect(seg.out).toMatch(/saved model seg@1/);
    expect(seg.code).toBe(0);
    const dn = await hemaseg(['train', p, '--name', 'dn', '--family', 'deconvnet', '--variant', 'deconvnet-unpool', '--size', '32', '--poolings', '2,2', '--base-filters', '2', '--max-filters', '4', '--epochs', '1', '--batch', '4']);
    expect(dn.out).toMatch(/saved model dn@1/);
    expect(dn.code).toBe(0);
    const models = await hemaseg(['models', p]);
    expect(models.out).toMatch(/seg@1\s+segnet\s+\S+\s+32px d2 k3 f2-4/);
    expect(models.out).toMatch(/dn@1\s+deconvnet\s+\S+\s+32px p22 unpool f2-4/);
    const bad = await hemaseg(['train', p, '--name', 'bad', '--family', 'deconvnet', '--size', '32']);
    expect(bad.code).not.toBe(0);
    expect(bad.out).toMatch(/input size 32 must be divisible by the product of the poolings 1,2,2,2,3 = 24.*--poolings 2,2,2,2,2/);
    expect((await hemaseg(['models', p])).out).not.toMatch(/bad@/);
  }, 90_000);
});
