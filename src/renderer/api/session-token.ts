// The web host's session token arrives once in the address bar (?token=…). It is moved to
// sessionStorage (this tab only, survives a reload) and taken out of the visible URL, so it
// does not end up in history, bookmarks, screenshots or a shared link.

const KEY = 'hemaseg-session-token';

export interface TokenEnv {
  href: string;
  storage: Pick<Storage, 'getItem' | 'setItem'> | null;
  replaceUrl(url: string): void;
}

/** The token from the URL (then stored and removed from it), else the one stored for this tab. */
export function takeSessionToken(env: TokenEnv): string {
  const url = new URL(env.href);
  const fromUrl = url.searchParams.get('token');
  if (fromUrl) {
    try {
      env.storage?.setItem(KEY, fromUrl);
    } catch {
      // Storage may be disabled: the token then lives in memory until the next reload.
    }
    url.searchParams.delete('token');
    env.replaceUrl(`${url.pathname}${url.search}${url.hash}`);
    return fromUrl;
  }
  try {
    return env.storage?.getItem(KEY) ?? '';
  } catch {
    return '';
  }
}

/** The browser's own environment. */
export function browserTokenEnv(): TokenEnv {
  let storage: Storage | null = null;
  try {
    storage = window.sessionStorage;
  } catch {
    storage = null;
  }
  return { href: location.href, storage, replaceUrl: (u) => history.replaceState(history.state, '', u) };
}
