import type { ApiErrorPayload, ApiMethod, ApiRequest, ApiResponse } from '../../shared/api';
import type { AppContext } from './app-context';
import type { Handlers } from './handler-types';
import { projectHandlers } from './handlers/project-handlers';
import { imageHandlers } from './handlers/image-handlers';
import { maskHandlers } from './handlers/mask-handlers';
import { mlHandlers } from './handlers/ml-handlers';
import { evaluationHandlers } from './handlers/evaluation-handlers';
import { reportHandlers } from './handlers/report-handlers';
import { interopHandlers } from './handlers/interop-handlers';
import { sequenceHandlers } from './handlers/sequence-handlers';
import { compareHandlers } from './handlers/compare-handlers';
import { serveMedia, type MediaResponse } from './media';

const handlers: Handlers = { ...projectHandlers, ...imageHandlers, ...maskHandlers, ...mlHandlers, ...evaluationHandlers, ...reportHandlers, ...interopHandlers, ...sequenceHandlers, ...compareHandlers };

export type CallResult = { ok: true; value: unknown } | { ok: false; error: ApiErrorPayload };

/** The transport-independent core: both IPC and HTTP end here. */
export class ApiService {
  constructor(readonly ctx: AppContext) {}

  isMethod(name: string): name is ApiMethod {
    return Object.prototype.hasOwnProperty.call(handlers, name);
  }

  async call(method: string, req: unknown): Promise<CallResult> {
    if (!this.isMethod(method)) return { ok: false, error: { message: `unknown API method '${method}'`, code: 'unknown-method' } };
    try {
      return { ok: true, value: await this.invoke(method, req as ApiRequest<typeof method>) };
    } catch (err) {
      return { ok: false, error: { message: (err as Error).message } };
    }
  }

  private invoke<M extends ApiMethod>(method: M, req: ApiRequest<M>): Promise<ApiResponse<M>> | ApiResponse<M> {
    return (handlers[method] as (r: ApiRequest<M>, c: AppContext) => Promise<ApiResponse<M>> | ApiResponse<M>)(req, this.ctx);
  }

  media(path: string): Promise<MediaResponse> {
    return serveMedia(this.ctx, path);
  }
}
