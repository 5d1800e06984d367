// Messages between the Electron main process (windows, dialogs, IPC) and the API utility
// process (the project, jobs, evaluation, reports, media). Typed arrays travel as structured
// clones on both Electron's utility-process port and Node's 'advanced' IPC serialization.
import type { ApiEvent } from '../../../shared/api';
import type { CallResult } from '../../api/api-service';
import type { MediaResponse } from '../../api/media';

export type ToApiProcess =
  | { type: 'call'; id: number; method: string; args: unknown }
  | { type: 'media'; id: number; path: string }
  /** Close the project (checkpointing its WAL) and exit. */
  | { type: 'shutdown' };

export type FromApiProcess =
  | { type: 'ready'; project: string | null; error: string | null }
  | { type: 'result'; id: number; result: CallResult }
  | { type: 'media'; id: number; media: MediaResponse }
  | { type: 'event'; event: ApiEvent };

/** One end of a message channel (Electron UtilityProcess / parentPort, Node ChildProcess / process, MessagePort). */
export interface RelayPort<In, Out> {
  send(msg: Out): void;
  onMessage(fn: (msg: In) => void): void;
}
