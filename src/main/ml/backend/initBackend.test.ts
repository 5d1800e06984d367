// Backend selection: native TF is absent here, so the default falls back to wasm (threaded
// SIMD in Node), explicit preferences are honoured, and a process that used the threaded
// build still exits on its own.
import * as tf from '@tensorflow/tfjs-core';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { activeBackend, initBackend } from './initBackend';
import { wasmBinariesPresent, wasmBinaryDir } from './wasmPaths';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

const FIXTURE = fileURLToPath(new URL('./probeBackend.fixture.ts', import.meta.url));

function runChild(env: Record<string, string>) {
  return spawnSync(process.execPath, ['--import', 'tsx', FIXTURE], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
}

describe('initBackend', () => {
  it('finds the wasm binaries through package resolution', () => {
    expect(wasmBinariesPresent(wasmBinaryDir())).toBe(true);
  });

  it('falls back from native TF to the multi-threaded wasm build, then honours preferences', async () => {
    const info = await initBackend();
    expect(['tensorflow', 'wasm']).toContain(info.backend);
    if (info.backend === 'wasm') expect(info.detail).toMatch(/threaded SIMD build, \d+ threads?/);
    expect(tf.getBackend()).toBe(info.backend);
    expect(activeBackend()).toEqual(info);

    const cpu = await initBackend('cpu');
    expect(cpu.backend).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
    const wasm = await initBackend('wasm');
    expect(wasm.backend).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
  });

  it('uses the single-threaded build when asked and exits on its own with the threaded one', () => {
    const single = runChild({ HEMASEG_WASM_THREADS: '1' });
    expect(single.status, single.stderr).toBe(0);
    expect(JSON.parse(single.stdout.trim().split('\n').pop() as string).detail).toMatch(/SIMD build, 1 thread\b/);
    // The fixture never calls process.exit; a hang would hit spawnSync's timeout (status null).
    const threaded = runChild({ HEMASEG_WASM_THREADS: '2' });
    expect(threaded.status, threaded.stderr).toBe(0);
    expect(JSON.parse(threaded.stdout.trim().split('\n').pop() as string).detail).toMatch(/threaded SIMD build, 2 threads/);
  });
});
