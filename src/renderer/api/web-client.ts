import type { ApiClient, ApiEvent, ApiMethod, ApiRequest, ApiResponse, ApiErrorPayload } from '../../shared/api';
import { decodeMessage, encodeMessage } from '../../shared/wire';
import { browserTokenEnv, takeSessionToken } from './session-token';

/**
 * The browser transport: HTTP POST per call with the token in a header, one WebSocket for
 * events. Media URLs carry no token: the host accepts its HttpOnly cookie for same-origin
 * image requests.
 */
export function createWebClient(base = ''): ApiClient {
  const token = takeSessionToken(browserTokenEnv());
  const listeners = new Set<(e: ApiEvent) => void>();
  let socket: WebSocket | null = null;

  const connect = (): void => {
    const url = new URL(`${base}/api/events`, location.href);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    url.searchParams.set('token', token);
    socket = new WebSocket(url);
    socket.onmessage = (m) => {
      const e = JSON.parse(String(m.data)) as ApiEvent;
      listeners.forEach((l) => l(e));
    };
    // The host may restart (npm start re-run); keep trying quietly.
    socket.onclose = () => setTimeout(connect, 1500);
  };
  connect();

  return {
    shell: 'web',
    async call<M extends ApiMethod>(method: M, ...args: ApiRequest<M> extends void ? [] : [ApiRequest<M>]): Promise<ApiResponse<M>> {
      const res = await fetch(`${base}/api/call/${method}`, {
        method: 'POST',
        headers: { 'content-type': 'application/octet-stream', 'x-hemaseg-token': token },
        body: encodeMessage(args[0] ?? null) as BodyInit,
      });
      // Refusals (403 and the like) are plain text, not a wire message.
      if (res.status !== 200) throw new Error(`${method}: ${res.status} ${(await res.text()).slice(0, 300)}`);
      const body = decodeMessage<{ ok: true; value: ApiResponse<M> } | { ok: false; error: ApiErrorPayload }>(new Uint8Array(await res.arrayBuffer()));
      if (!body.ok) throw new Error(body.error.message);
      return body.value;
    },
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    mediaUrl(path) {
      return `${base}/media/${path}`;
    },
  };
}
