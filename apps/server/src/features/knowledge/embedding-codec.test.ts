import { describe, expect, it } from 'vitest';
import { decodeEmbedding, decodeEmbeddingInto, encodeEmbedding } from './embedding-codec.ts';

describe('embedding codec', () => {
  it('round-trips a vector exactly, special values included', () => {
    const vector = Float32Array.from([0, -0, 1, -1.5, 3.4e38, 1e-45, Math.PI, Number.POSITIVE_INFINITY]);

    expect(decodeEmbedding(encodeEmbedding(vector))).toEqual(vector);
  });

  it('stores little-endian float32 bytes', () => {
    const bytes = encodeEmbedding(Float32Array.from([1, -2]));

    expect([...bytes]).toEqual([0x00, 0x00, 0x80, 0x3f, 0x00, 0x00, 0x00, 0xc0]);
  });

  it('encodes to a Buffer, which both database drivers bind as a blob', () => {
    expect(Buffer.isBuffer(encodeEmbedding(new Float32Array(4)))).toBe(true);
  });

  it('encodes a view into a larger array without its neighbours', () => {
    const whole = Float32Array.from([9, 1, 2, 9]);

    expect([...decodeEmbedding(encodeEmbedding(whole.subarray(1, 3)))]).toEqual([1, 2]);
  });

  it('decodes bytes at an odd offset in a shared buffer, as drivers hand out pooled Buffers', () => {
    const encoded = encodeEmbedding(Float32Array.from([0.25, -8, 42]));
    const pool = Buffer.alloc(encoded.byteLength + 3);
    pool.set(encoded, 1);
    const slice = pool.subarray(1, 1 + encoded.byteLength);

    const decoded = decodeEmbedding(slice);

    expect(slice.byteOffset % 4).not.toBe(0);
    expect([...decoded]).toEqual([0.25, -8, 42]);
    // A copy: changing the driver's buffer afterwards leaves the vector alone.
    pool.fill(0);
    expect([...decoded]).toEqual([0.25, -8, 42]);
  });

  it('decodes into a given place of a larger array', () => {
    const target = new Float32Array(6);

    decodeEmbeddingInto(encodeEmbedding(Float32Array.from([1, 2])), target, 3);

    expect([...target]).toEqual([0, 0, 0, 1, 2, 0]);
  });

  it('refuses bytes that are not a whole number of float32s, and a target too small', () => {
    expect(() => decodeEmbedding(new Uint8Array(7))).toThrow(/whole number of float32s/);
    expect(() => decodeEmbeddingInto(new Uint8Array(8), new Float32Array(3), 2)).toThrow(RangeError);
  });
});
