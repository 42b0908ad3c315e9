// Embeddings are stored as little-endian float32 bytes, whatever the machine's byte order, so a database
// written on one host reads the same on any other.

const isLittleEndianHost = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** The vector as little-endian float32 bytes (a Buffer, which both database drivers bind as a blob). */
export function encodeEmbedding(vector: Float32Array): Uint8Array {
  const bytes = Buffer.alloc(vector.length * 4);
  if (isLittleEndianHost) {
    bytes.set(new Uint8Array(vector.buffer, vector.byteOffset, vector.byteLength));
  } else {
    for (let index = 0; index < vector.length; index++)
      bytes.writeFloatLE(vector[index] as number, index * 4);
  }
  return bytes;
}

/** How many dimensions the stored bytes hold; throws when they cannot be float32s. */
export function countEmbeddingDimensions(bytes: Uint8Array): number {
  if (bytes.byteLength % 4 !== 0) {
    throw new Error(`an embedding is a whole number of float32s, not ${bytes.byteLength} bytes`);
  }
  return bytes.byteLength / 4;
}

/**
 * Copies the stored bytes into `target` from `offset` on. Byte by byte, so any byteOffset works: drivers
 * hand out Buffers sliced from shared pools, which a Float32Array view could not be laid over.
 */
export function decodeEmbeddingInto(bytes: Uint8Array, target: Float32Array, offset = 0): void {
  const dimensions = countEmbeddingDimensions(bytes);
  if (offset + dimensions > target.length) throw new RangeError('the embedding does not fit in the target');
  if (isLittleEndianHost) {
    new Uint8Array(target.buffer, target.byteOffset + offset * 4, bytes.byteLength).set(bytes);
    return;
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let index = 0; index < dimensions; index++) target[offset + index] = view.getFloat32(index * 4, true);
}

/** The vector stored as little-endian float32 bytes, in a fresh array of its own. */
export function decodeEmbedding(bytes: Uint8Array): Float32Array {
  const vector = new Float32Array(countEmbeddingDimensions(bytes));
  decodeEmbeddingInto(bytes, vector);
  return vector;
}
