// Training runs (the `training_runs` table): one row per `train` call, updated by the worker
// after each epoch with the curves and a checkpoint, and by whoever sees the end of it
// (the worker on success, failure or cancel; the parent when the worker dies).
import { hostname } from 'node:os';
import type { Db } from '../../project/open-project';
import type { Backend } from '../../../shared/domain';
import type { TrainPoint, TrainRequest, TrainingRunInfo } from '../../../shared/ml';

export type RunStatus = TrainingRunInfo['status'];

/** What the `config` column holds. */
export interface RunConfig {
  request: TrainRequest;
  /** The worker process currently (or last) running this run, to detect a dead one. */
  worker: { pid: number; host: string } | null;
  backendDetail: string | null;
  resumes: number;
  /** The images (and mask versions) the run trains and validates on, fixed at its first start. */
  data?: { train: RunImage[]; val: RunImage[] };
}

export interface RunImage {
  imageId: number;
  maskVersionId: number;
  name: string;
}

interface RunRow {
  id: number;
  model_name: string;
  status: RunStatus;
  config: string;
  backend: Backend | null;
  parent_model_id: number | null;
  result_model_id: number | null;
  started_at: string;
  finished_at: string | null;
  curves: string;
  checkpoint_epoch: number | null;
  error: string | null;
  result_ref: string | null;
}

const SELECT = `SELECT r.id, r.model_name, r.status, r.config, r.backend, r.parent_model_id, r.result_model_id, r.started_at, r.finished_at,
  r.curves, r.checkpoint_epoch, r.error, (SELECT m.name || '@' || m.version FROM models m WHERE m.id = r.result_model_id) AS result_ref
  FROM training_runs r`;

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export interface RunRecord {
  info: TrainingRunInfo;
  config: RunConfig;
  parentModelId: number | null;
}

export class RunsRepo {
  constructor(private readonly db: Db) {}

  create(request: TrainRequest, parentModelId: number | null, now = new Date().toISOString()): number {
    const config: RunConfig = { request, worker: null, backendDetail: null, resumes: 0 };
    const info = this.db
      .prepare(`INSERT INTO training_runs (model_name, status, config, parent_model_id, started_at) VALUES (?, 'running', ?, ?, ?)`)
      .run(request.name, JSON.stringify(config), parentModelId, now);
    return Number(info.lastInsertRowid);
  }

  get(id: number): RunRecord | null {
    const row = this.db.prepare(`${SELECT} WHERE r.id = ?`).get(id) as RunRow | undefined;
    return row ? this.toRecord(row) : null;
  }

  list(): TrainingRunInfo[] {
    this.reconcileStale();
    return (this.db.prepare(`${SELECT} ORDER BY r.id DESC`).all() as RunRow[]).map((r) => this.toRecord(r).info);
  }

  private toRecord(r: RunRow): RunRecord {
    const config = JSON.parse(r.config) as RunConfig;
    return {
      config,
      parentModelId: r.parent_model_id,
      info: {
        id: r.id,
        modelName: r.model_name,
        status: r.status,
        backend: r.backend,
        startedAt: r.started_at,
        finishedAt: r.finished_at,
        curves: JSON.parse(r.curves) as TrainPoint[],
        resultRef: r.result_ref,
        checkpointEpoch: r.checkpoint_epoch,
        error: r.error,
      },
    };
  }

  /** The worker took the run: record which process and backend. */
  claim(id: number, pid: number, backend: Backend, backendDetail: string): void {
    this.db.transaction(() => {
      const rec = this.get(id);
      if (!rec) throw new Error(`no training run ${id}`);
      const config: RunConfig = { ...rec.config, worker: { pid, host: hostname() }, backendDetail };
      this.db.prepare(`UPDATE training_runs SET status = 'running', backend = ?, config = ?, error = NULL, finished_at = NULL WHERE id = ?`).run(backend, JSON.stringify(config), id);
    }).immediate(); // read-then-write: write lock first
  }

  setData(id: number, data: NonNullable<RunConfig['data']>): void {
    this.db.transaction(() => {
      const rec = this.get(id);
      if (!rec) throw new Error(`no training run ${id}`);
      this.db.prepare('UPDATE training_runs SET config = ? WHERE id = ?').run(JSON.stringify({ ...rec.config, data }), id);
    }).immediate();
  }

  /** After each epoch: curves so far and the checkpoint to resume from. */
  saveCheckpoint(id: number, epoch: number, checkpoint: Uint8Array, curves: TrainPoint[]): void {
    this.db
      .prepare('UPDATE training_runs SET checkpoint = ?, checkpoint_epoch = ?, curves = ? WHERE id = ?')
      .run(Buffer.from(checkpoint.buffer, checkpoint.byteOffset, checkpoint.byteLength), epoch, JSON.stringify(curves), id);
  }

  checkpoint(id: number): Uint8Array | null {
    const row = this.db.prepare('SELECT checkpoint FROM training_runs WHERE id = ?').get(id) as { checkpoint: Buffer | null } | undefined;
    return row?.checkpoint ? new Uint8Array(row.checkpoint.buffer, row.checkpoint.byteOffset, row.checkpoint.byteLength) : null;
  }

  /**
   * Set the final (or interrupted) state. A run already finished is left alone, so the
   * parent's "the worker died" cannot overwrite the worker's own "done".
   */
  finish(id: number, status: Exclude<RunStatus, 'running'>, fields: { error?: string | null; resultModelId?: number | null; curves?: TrainPoint[] } = {}, now = new Date().toISOString()): boolean {
    const sets = ['status = ?', 'finished_at = ?', 'error = ?'];
    const params: unknown[] = [status, now, fields.error ?? null];
    if (fields.resultModelId !== undefined) {
      sets.push('result_model_id = ?');
      params.push(fields.resultModelId);
    }
    if (fields.curves) {
      sets.push('curves = ?');
      params.push(JSON.stringify(fields.curves));
    }
    const r = this.db.prepare(`UPDATE training_runs SET ${sets.join(', ')} WHERE id = ? AND status = 'running'`).run(...params, id);
    return r.changes > 0;
  }

  /** Prepare a stopped run for resuming; returns its record. */
  reopen(id: number): RunRecord {
    this.reconcileStale();
    const rec = this.get(id);
    if (!rec) throw new Error(`no training run ${id} in this project`);
    const s = rec.info.status;
    if (s === 'done') throw new Error(`training run ${id} already finished (model ${rec.info.resultRef ?? '?'}); start a new run with --from to continue training it`);
    if (s === 'running') throw new Error(`training run ${id} is still running (worker pid ${rec.config.worker?.pid ?? '?'})`);
    const config: RunConfig = { ...rec.config, resumes: rec.config.resumes + 1 };
    this.db.prepare(`UPDATE training_runs SET status = 'running', error = NULL, finished_at = NULL, config = ? WHERE id = ?`).run(JSON.stringify(config), id);
    return this.get(id) as RunRecord;
  }

  /**
   * Runs marked running whose worker process is gone (on this machine) were interrupted: a
   * crash of the whole app, a kill of the CLI, a power cut. Mark them so they can resume.
   */
  reconcileStale(): number {
    const rows = this.db.prepare(`SELECT id, config FROM training_runs WHERE status = 'running'`).all() as { id: number; config: string }[];
    let n = 0;
    for (const r of rows) {
      const worker = (JSON.parse(r.config) as RunConfig).worker;
      if (!worker || worker.host !== hostname() || isAlive(worker.pid)) continue;
      if (this.finish(r.id, 'interrupted', { error: `the training worker (pid ${worker.pid}) is gone; resume with --resume ${r.id}` })) n++;
    }
    return n;
  }
}
