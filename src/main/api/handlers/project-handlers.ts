import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, extname, join, resolve } from 'node:path';
import { homedir } from 'node:os';
import type { HandlerGroup } from '../handler-types';
import { IMAGE_EXTENSIONS } from '../../transfer/scan-folder';
import { appVersion } from '../../app-version';
import { expectedBackend } from '../../ml/expected-backend';

export const projectHandlers: HandlerGroup<'app.info' | 'project.current' | 'project.open' | 'project.recent' | 'fs.list' | 'settings.get' | 'settings.set' | 'jobs.list' | 'jobs.cancel'> = {
  'app.info': (_req, ctx) => ({
    version: appVersion(),
    shell: ctx.shell,
    backend: ctx.backend?.backend ?? expectedBackend(),
    backendDetail: ctx.backend?.detail ?? null,
  }),
  'project.current': (_req, ctx) => ctx.info(),
  'project.open': (req, ctx) => {
    ctx.open(req.path, req.create ?? false);
    return ctx.info()!;
  },
  'project.recent': (_req, ctx) => ctx.recent(),
  'fs.list': (req) => {
    const path = resolve(req.path || homedir());
    if (!existsSync(path) || !statSync(path).isDirectory()) throw new Error(`${path}: not a folder`);
    const entries = readdirSync(path, { withFileTypes: true })
      .filter((e) => !e.name.startsWith('.'))
      .map((e) => {
        const full = join(path, e.name);
        let dir = e.isDirectory();
        if (e.isSymbolicLink()) {
          try {
            dir = statSync(full).isDirectory();
          } catch {
            dir = false;
          }
        }
        let images = 0;
        if (dir) {
          try {
            images = readdirSync(full).filter((f) => IMAGE_EXTENSIONS.has(extname(f).toLowerCase())).length;
          } catch {
            images = 0;
          }
        }
        return { name: e.name, dir, images };
      })
      .filter((e) => e.dir || e.name.endsWith('.hemaseg') || IMAGE_EXTENSIONS.has(extname(e.name).toLowerCase()))
      .sort((a, b) => Number(b.dir) - Number(a.dir) || a.name.localeCompare(b.name));
    return { path, parent: dirname(path) === path ? null : dirname(path), entries };
  },
  'settings.get': (_req, ctx) => ctx.requireProject().settings.get(),
  'settings.set': (req, ctx) => ctx.requireProject().settings.set(req),
  'jobs.list': (_req, ctx) => ctx.jobs.list(),
  'jobs.cancel': (req, ctx) => ({ cancelled: ctx.jobs.cancel(req.jobId) }),
};
