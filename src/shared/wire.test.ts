import { describe, expect, it } from 'vitest';
import { decodeMessage, encodeMessage } from './wire';

describe('wire codec', () => {
  it('round-trips JSON with typed arrays as raw bytes', () => {
    const labels = new Uint8Array([0, 1, 2, 3, 255]);
    const inst = new Uint16Array([0, 1, 65535]);
    const f = new Float32Array([0.5, -1.25]);
    const msg = { a: 1, s: 'x', nested: { labels, list: [inst, f] }, n: null };
    const bytes = encodeMessage(msg);
    // The arrays are not spelled out as JSON numbers.
    expect(new TextDecoder().decode(bytes)).not.toContain('65535');
    const back = decodeMessage<typeof msg>(bytes);
    expect(back.a).toBe(1);
    expect(back.nested.labels).toBeInstanceOf(Uint8Array);
    expect(Array.from(back.nested.labels)).toEqual([0, 1, 2, 3, 255]);
    expect(back.nested.list[0]).toBeInstanceOf(Uint16Array);
    expect(Array.from(back.nested.list[0])).toEqual([0, 1, 65535]);
    expect(Array.from(back.nested.list[1] as Float32Array)).toEqual([0.5, -1.25]);
  });

  it('handles subarray views and rejects foreign bytes', () => {
    const big = new Uint8Array([9, 8, 7, 6, 5]);
    const back = decodeMessage<{ v: Uint8Array }>(encodeMessage({ v: big.subarray(1, 4) }));
    expect(Array.from(back.v)).toEqual([8, 7, 6]);
    expect(() => decodeMessage(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]))).toThrow(/not a HemaSeg wire message/);
  });
});
