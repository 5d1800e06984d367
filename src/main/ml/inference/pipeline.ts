// The batch segmentation pipeline: images are decoded and resized while earlier batches are
// in the engine, batches run through the predictor, and each batch's results are committed
// in one go (one database transaction for a project), in order. With an engine that runs off
// the JavaScript thread (ONNX Runtime's native threads, a remote server) decoding and
// post-processing of one batch overlap the network of the next, so both cores stay busy.
// Progress, cancel and per-image errors behave as in the sequential loop: a failing image
// is reported and the batch goes on; a cancel lets the batches in flight finish and commits
// them (complete results only), then stops.
import type { RgbImage } from '../../../shared/domain';

export interface PipelineItem {
  label: string;
  load(): Promise<RgbImage>;
}

export interface PipelineResult<I extends PipelineItem, R> {
  item: I;
  result: R;
}

export interface PipelineOptions<I extends PipelineItem, R extends object> {
  items: I[];
  /** Images per predictor call and per commit. */
  batchSize: number;
  /** Batches in flight at once (decode / network / post-process overlap). Default 2. */
  depth?: number;
  /** One result per image, in order (the predictor, or a classical segmenter). */
  segment(images: RgbImage[]): Promise<R[]>;
  /**
   * Store one batch. Throwing fails every image of the batch (a project stores a batch in
   * one transaction: nothing of it lands); returning an array gives per-image errors.
   */
  commit(results: PipelineResult<I, R>[]): Promise<(string | null)[] | void> | (string | null)[] | void;
  /** Called once per image, in input order, when its fate is known. */
  report(item: I, error: string | null): void;
  shouldStop(): boolean;
  /** Errors that must stop the whole job rather than fail one image (e.g. the server is down). */
  isFatal?(err: unknown): boolean;
}

interface Flight<I extends PipelineItem, R> {
  ok: PipelineResult<I, R>[];
  failed: { item: I; error: string }[];
  order: I[];
}

const message = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/** Runs the pipeline; resolves to whether it was stopped early (cancel). */
export async function runPipeline<I extends PipelineItem, R extends object>(o: PipelineOptions<I, R>): Promise<{ stopped: boolean }> {
  const depth = Math.max(1, o.depth ?? 2);
  const fatal = o.isFatal ?? (() => false);

  const process = async (batch: I[]): Promise<Flight<I, R>> => {
    const failed: { item: I; error: string }[] = [];
    const loaded: { item: I; image: RgbImage }[] = [];
    // Decoders that run off the thread (sharp) overlap; synchronous ones simply run in turn.
    const images = await Promise.allSettled(batch.map((item) => item.load()));
    images.forEach((r, k) => {
      if (r.status === 'fulfilled') loaded.push({ item: batch[k], image: r.value });
      else failed.push({ item: batch[k], error: message(r.reason) });
    });
    let masks: (R | Error)[] = [];
    if (loaded.length) {
      try {
        masks = await o.segment(loaded.map((l) => l.image));
      } catch (err) {
        if (fatal(err)) throw err;
        // Find the culprit: run the batch one image at a time.
        masks = [];
        for (const l of loaded) {
          try {
            masks.push((await o.segment([l.image]))[0]);
          } catch (e) {
            if (fatal(e)) throw e;
            masks.push(e instanceof Error ? e : new Error(String(e)));
          }
        }
      }
    }
    const ok: PipelineResult<I, R>[] = [];
    loaded.forEach((l, k) => {
      const m = masks[k];
      if (m instanceof Error || !m) failed.push({ item: l.item, error: m ? m.message : 'no result' });
      else ok.push({ item: l.item, result: m });
    });
    return { ok, failed, order: batch };
  };

  const finish = async (f: Flight<I, R>): Promise<void> => {
    const errors = new Map<I, string>(f.failed.map((x) => [x.item, x.error]));
    if (f.ok.length) {
      try {
        const perItem = await o.commit(f.ok);
        if (perItem) f.ok.forEach((r, k) => perItem[k] && errors.set(r.item, perItem[k] as string));
      } catch (err) {
        if (fatal(err)) throw err;
        for (const r of f.ok) errors.set(r.item, message(err));
      }
    }
    for (const item of f.order) o.report(item, errors.get(item) ?? null);
  };

  const inFlight: Promise<Flight<I, R>>[] = [];
  let stopped = false;
  let next = 0;
  try {
    while (next < o.items.length || inFlight.length) {
      while (!stopped && next < o.items.length && inFlight.length < depth) {
        // Yield so a cancel message can arrive between batches.
        await new Promise((r) => setImmediate(r));
        if (o.shouldStop()) {
          stopped = true;
          break;
        }
        const batch = o.items.slice(next, next + o.batchSize);
        next += batch.length;
        const p = process(batch);
        p.catch(() => undefined); // awaited below, in order; avoid an unhandled rejection meanwhile
        inFlight.push(p);
      }
      const head = inFlight.shift();
      if (!head) break;
      await finish(await head);
    }
  } finally {
    // A fatal error leaves later batches running: let them settle, store nothing of them.
    await Promise.allSettled(inFlight);
  }
  return { stopped };
}
