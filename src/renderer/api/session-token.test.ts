import { describe, expect, it } from 'vitest';
import { takeSessionToken, type TokenEnv } from './session-token';

function env(href: string, stored: Record<string, string> = {}): TokenEnv & { replaced: string[]; stored: Record<string, string> } {
  const replaced: string[] = [];
  return {
    href,
    stored,
    replaced,
    storage: { getItem: (k) => stored[k] ?? null, setItem: (k, v) => void (stored[k] = v) },
    replaceUrl: (u) => replaced.push(u),
  };
}

describe('session token', () => {
  it('moves the token from the address bar to session storage, keeping the view hash', () => {
    const e = env('http://127.0.0.1:5000/?token=abc123&x=1#/editor/4');
    expect(takeSessionToken(e)).toBe('abc123');
    expect(e.replaced).toEqual(['/?x=1#/editor/4']);
    expect(Object.values(e.stored)).toEqual(['abc123']);
  });

  it('after a reload (no token in the URL) uses the stored one and leaves the URL alone', () => {
    const first = env('http://127.0.0.1:5000/?token=abc123');
    takeSessionToken(first);
    const e = env('http://127.0.0.1:5000/#/gallery', first.stored);
    expect(takeSessionToken(e)).toBe('abc123');
    expect(e.replaced).toEqual([]);
  });

  it('works without storage (token kept by the caller in memory)', () => {
    const e: TokenEnv = { href: 'http://127.0.0.1:5000/?token=t', storage: null, replaceUrl: () => undefined };
    expect(takeSessionToken(e)).toBe('t');
    expect(takeSessionToken({ ...e, href: 'http://127.0.0.1:5000/' })).toBe('');
  });
});
