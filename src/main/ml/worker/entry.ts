// The ML worker process (out/main/worker.js; src/main/ml/worker/entry.ts through tsx in
// tests). It waits for one job message, initialises the TensorFlow.js backend, runs the job
// streaming events, and exits. Talks over Node's IPC channel, or over Electron's
// `process.parentPort` when started with utilityProcess.fork (no electron import needed).
import { runImportJob } from '../../transfer/import-job';
import { WORKER_FAILED_EXIT, type FromWorker, type JobIo, type ToWorker } from './protocol';

interface Port {
  send(msg: FromWorker): void;
  onMessage(fn: (msg: ToWorker) => void): void;
  onDisconnect(fn: () => void): void;
}

interface ParentPortLike {
  postMessage(msg: unknown): void;
  on(event: 'message', fn: (e: { data: unknown }) => void): void;
}

function openPort(): Port {
  const parentPort = (process as unknown as { parentPort?: ParentPortLike }).parentPort;
  if (parentPort) {
    return {
      send: (msg) => parentPort.postMessage(msg),
      onMessage: (fn) => parentPort.on('message', (e) => fn(e.data as ToWorker)),
      // A utility process dies with its parent; nothing to watch.
      onDisconnect: () => undefined,
    };
  }
  if (!process.send) {
    console.error('the HemaSeg ML worker must be started by HemaSeg (no IPC channel)');
    process.exit(2);
  }
  return {
    send: (msg) => {
      // The callback receives write errors (EPIPE once the parent is gone) that would
      // otherwise be thrown as an unhandled 'error' event and kill the job mid-write.
      if (process.connected) process.send?.(msg, undefined, undefined, (err: Error | null) => {
        if (err) orphaned = true;
      });
    },
    onMessage: (fn) => process.on('message', (m) => fn(m as ToWorker)),
    onDisconnect: (fn) => process.on('disconnect', fn),
  };
}

let cancelled = false;
let orphaned = false;
let started = false;
const port = openPort();

port.onDisconnect(() => {
  orphaned = true;
  // Give a training job a moment to mark its run interrupted, then go.
  setTimeout(() => process.exit(1), 30_000).unref();
});

// Ctrl+C in a terminal reaches the whole process group: treat it as a cancel, so a training
// run stops between steps and keeps its checkpoint instead of dying mid-write.
process.on('SIGINT', () => {
  cancelled = true;
});
process.on('SIGTERM', () => {
  cancelled = true;
  setTimeout(() => process.exit(1), 15_000).unref();
});

const exit = (code: number): void => {
  // Let the IPC channel flush the last message before leaving.
  setTimeout(() => process.exit(code), 50);
};

port.onMessage((msg) => {
  if (msg.type === 'cancel') {
    cancelled = true;
    return;
  }
  if (started) {
    port.send({ type: 'error', message: 'this worker is already running a job' });
    return;
  }
  started = true;
  void run(msg).then(
    () => exit(0),
    (err: unknown) => {
      port.send({ type: 'error', message: err instanceof Error ? err.message : String(err) });
      exit(WORKER_FAILED_EXIT);
    },
  );
});

async function run(msg: Exclude<ToWorker, { type: 'cancel' }>): Promise<void> {
  if (msg.type === 'import') {
    // Imports need no TensorFlow backend; they run here only to keep decoding out of the host.
    const report = await runImportJob(msg, { send: (m) => port.send(m), cancelled: () => cancelled || orphaned });
    port.send({ type: 'import-done', report });
    return;
  }
  // TensorFlow.js is loaded only for the jobs that use it, so an import worker starts fast.
  const [{ initBackend }, { runSegmentJob }, { runTrainJob }] = await Promise.all([
    import('../backend/initBackend'),
    import('../inference/segment-job'),
    import('../training/train-job'),
  ]);
  const backend = await initBackend();
  port.send({ type: 'ready', pid: process.pid, backend: backend.backend, backendDetail: backend.detail });
  const io: JobIo = {
    send: (m) => port.send(m),
    cancelled: () => cancelled,
    orphaned: () => orphaned,
    backend: { backend: backend.backend, detail: backend.detail },
  };
  if (msg.type === 'train') {
    await runTrainJob(msg.project, msg.runId, msg.resume, io);
  } else {
    const result = await runSegmentJob(msg.project, msg.request, msg.author, io);
    port.send({ type: 'segment-done', result });
  }
}
