import type { ApiMethod, ApiRequest, ApiResponse } from '../../shared/api';
import type { AppContext } from './app-context';

export type Handler<M extends ApiMethod> = (req: ApiRequest<M>, ctx: AppContext) => Promise<ApiResponse<M>> | ApiResponse<M>;
export type Handlers = { [M in ApiMethod]: Handler<M> };
export type HandlerGroup<K extends ApiMethod> = { [M in K]: Handler<M> };
