import { EventEmitter } from 'node:events';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import type { ApiEvent, ProjectInfo } from '../../shared/api';
import type { Backend } from '../../shared/domain';
import { Project } from '../project/project';
import { JobManager } from '../jobs/job-manager';

export function hemasegHome(): string {
  const dir = process.env.HEMASEG_HOME ?? join(homedir(), '.hemaseg');
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** State of one running app (desktop window or web host): the open project, jobs, events. */
export class AppContext {
  private project: Project | null = null;
  readonly events = new EventEmitter();
  readonly jobs: JobManager;
  backend: { backend: Backend; detail: string } | null = null;

  constructor(readonly shell: 'electron' | 'web') {
    this.events.setMaxListeners(100);
    this.jobs = new JobManager((job) => this.emit({ type: 'job', job }), () => this.project?.path ?? null);
  }

  emit(e: ApiEvent): void {
    this.events.emit('event', e);
  }

  get current(): Project | null {
    return this.project;
  }

  /** The open project, or a clear error for calls that need one. */
  requireProject(): Project {
    if (!this.project) throw new Error('no project is open');
    return this.project;
  }

  open(path: string, create = false): Project {
    const next = Project.open(path, { create });
    this.project?.close();
    this.project = next;
    this.remember(next.path);
    this.emit({ type: 'project-changed', path: next.path });
    return next;
  }

  info(): ProjectInfo | null {
    const p = this.project;
    if (!p) return null;
    return { path: p.path, name: p.name, counts: p.counts(), settings: p.settings.get(), sources: p.masks.sources() };
  }

  recent(): string[] {
    const file = join(hemasegHome(), 'recent.json');
    if (!existsSync(file)) return [];
    try {
      return (JSON.parse(readFileSync(file, 'utf8')) as string[]).filter((p) => existsSync(p));
    } catch {
      return [];
    }
  }

  private remember(path: string): void {
    const list = [resolve(path), ...this.recent().filter((p) => p !== resolve(path))].slice(0, 12);
    writeFileSync(join(hemasegHome(), 'recent.json'), JSON.stringify(list, null, 2));
  }

  close(): void {
    this.project?.close();
    this.project = null;
  }
}
