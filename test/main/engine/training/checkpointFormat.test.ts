import { describe, expect, it } from 'vitest';
import {
  CHECKPOINT_VERSION,
  decodeCheckpoint,
  encodeCheckpoint,
  type CheckpointContents,
  type CheckpointTensor,
} from '../../../../src/main/engine/training/checkpointFormat';
import { UserError } from '../../../../src/shared/errors';

interface Meta {
  seed: number;
  network: string;
  rng: { scheme: string; nextStep: number };
}

/** Float32 bit patterns the format must carry exactly (JSON numbers would lose all of them). */
const SPECIAL_BITS = [
  0x7fc00000, // the canonical quiet NaN
  0x7fc12345, // a quiet NaN with a payload
  0xffc00000, // a negative NaN
  0x80000000, // -0
  0x00000001, // the smallest denormal, 1.4e-45
  0x807fffff, // the largest negative denormal
  0x00400000, // a mid-range denormal
  0x7f800000, // +Infinity
  0xff800000, // -Infinity
  0x7f7fffff, // the largest finite float32
  0x3f800001, // 1 + one ulp
];

function floatsWithBits(bits: readonly number[]): Float32Array {
  return new Float32Array(Uint32Array.from(bits).buffer);
}

function bitsOf(a: Float32Array | Int32Array): number[] {
  return [...new Uint32Array(a.buffer, a.byteOffset, a.length)];
}

function sample(): CheckpointContents<Meta> {
  return {
    step: 1234,
    meta: { seed: 7, network: 'vgg-tiny', rng: { scheme: 'counter', nextStep: 1235 } },
    tensors: [
      {
        key: 'param/layer1.weight',
        shape: [SPECIAL_BITS.length],
        dtype: 'float32',
        data: floatsWithBits(SPECIAL_BITS),
      },
      { key: 'optimizer/iterations', shape: [], dtype: 'int32', data: Int32Array.of(41) },
      { key: 'empty', shape: [0, 3], dtype: 'float32', data: new Float32Array(0) },
      {
        key: 'ints',
        shape: [2, 3],
        dtype: 'int32',
        data: Int32Array.of(-(2 ** 31), 2 ** 31 - 1, 0, -1, 1, 123456789),
      },
      // An odd element count, so the next tensor must still start 4-byte aligned.
      { key: 'running/1/mean', shape: [3], dtype: 'float32', data: Float32Array.of(0.1, -2.5, 3e-39) },
      { key: 'last', shape: [2, 2], dtype: 'float32', data: Float32Array.of(1, 2, 3, 4) },
    ],
  };
}

function expectSameTensors(got: CheckpointTensor[], want: CheckpointTensor[]): void {
  expect(got.map((t) => [t.key, t.shape, t.dtype])).toEqual(want.map((t) => [t.key, t.shape, t.dtype]));
  got.forEach((t, i) => {
    const w = want[i] as CheckpointTensor;
    expect(t.data).toBeInstanceOf(w.dtype === 'int32' ? Int32Array : Float32Array);
    expect(bitsOf(t.data)).toEqual(bitsOf(w.data));
  });
}

function checkpointError(bytes: Uint8Array): UserError {
  try {
    decodeCheckpoint(bytes);
  } catch (e) {
    expect(e).toBeInstanceOf(UserError);
    expect((e as UserError).code).toBe('checkpoint');
    return e as UserError;
  }
  throw new Error('expected decodeCheckpoint to throw');
}

/** A checkpoint whose header is `header` (any JSON text), followed by `data`. */
function withHeader(header: string, data = new Uint8Array(0)): Uint8Array {
  const json = new TextEncoder().encode(header);
  const out = new Uint8Array(8 + json.length + data.length);
  const view = new DataView(out.buffer);
  out.set(new TextEncoder().encode('NLCK'), 0);
  view.setUint32(4, json.length, true);
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out;
}

describe('checkpoint round trip', () => {
  it('returns step, meta and every tensor bit for bit (NaN payloads, -0, denormals, infinities, int32 extremes)', () => {
    const contents = sample();
    const decoded = decodeCheckpoint<Meta>(encodeCheckpoint(contents));
    expect(decoded.step).toBe(1234);
    expect(decoded.meta).toEqual(contents.meta);
    expectSameTensors(decoded.tensors, contents.tensors);
    const floats = decoded.tensors[0]?.data as Float32Array;
    expect(Object.is(floats[3], -0)).toBe(true);
    expect(floats[4]).toBe(2 ** -149);
  });

  it('is deterministic: the same contents encode to the same bytes', () => {
    expect(Buffer.from(encodeCheckpoint(sample())).equals(Buffer.from(encodeCheckpoint(sample())))).toBe(
      true,
    );
  });

  it('lays out magic "NLCK", a 4-aligned header length, then 4-aligned tensor data', () => {
    const bytes = encodeCheckpoint(sample());
    expect(new TextDecoder().decode(bytes.subarray(0, 4))).toBe('NLCK');
    const headerLen = new DataView(bytes.buffer).getUint32(4, true);
    expect(headerLen % 4).toBe(0);
    const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + headerLen))) as {
      version: number;
      tensors: { offset: number; length: number }[];
    };
    expect(header.version).toBe(CHECKPOINT_VERSION);
    const dataBytes = sample().tensors.reduce((s, t) => s + 4 * t.data.length, 0);
    expect(bytes.length).toBe(8 + headerLen + dataBytes);
    for (const e of header.tensors) expect(e.offset % 4).toBe(0);
    // The last tensor's raw float32 bytes end the file.
    expect([...new Float32Array(bytes.slice(bytes.length - 16).buffer)]).toEqual([1, 2, 3, 4]);
  });

  it('encodes only the viewed elements of a typed-array view', () => {
    const backing = Float32Array.of(9, 9, 1.5, 2.5, 9);
    const view = backing.subarray(2, 4);
    const decoded = decodeCheckpoint(
      encodeCheckpoint({
        step: 0,
        meta: null,
        tensors: [{ key: 'v', shape: [2], dtype: 'float32', data: view }],
      }),
    );
    expect([...(decoded.tensors[0]?.data ?? [])]).toEqual([1.5, 2.5]);
  });

  it('decodes from a Node Buffer slice at an odd byteOffset, into arrays that do not alias it', () => {
    const bytes = encodeCheckpoint(sample());
    const pool = Buffer.alloc(bytes.length + 3, 0xaa);
    pool.set(bytes, 1);
    const slice = pool.subarray(1, 1 + bytes.length);
    expect(slice.byteOffset % 4).not.toBe(0);
    const decoded = decodeCheckpoint<Meta>(slice);
    expectSameTensors(decoded.tensors, sample().tensors);
    pool.fill(0);
    expectSameTensors(decoded.tensors, sample().tensors);
  });
});

describe('unreadable checkpoints are UserError("checkpoint") saying what to do', () => {
  it('empty and too-short input', () => {
    expect(checkpointError(new Uint8Array(0)).message).toMatch(
      /too short.*resume from an earlier checkpoint/,
    );
    expect(checkpointError(Uint8Array.of(0x4e, 0x4c, 0x43, 0x4b)).message).toContain('too short');
  });

  it('foreign bytes: SQLite, gzip, JSON', () => {
    const foreign = [
      new TextEncoder().encode('SQLite format 3\0 and more bytes'),
      Uint8Array.of(0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3),
      new TextEncoder().encode('{"step": 1, "tensors": []}'),
    ];
    for (const bytes of foreign) expect(checkpointError(bytes).message).toContain('not a NormLab checkpoint');
  });

  it('every strict prefix of a checkpoint (truncated header or data)', () => {
    const bytes = encodeCheckpoint(sample());
    for (let n = 0; n < bytes.length; n++) checkpointError(bytes.subarray(0, n));
    expect(checkpointError(bytes.subarray(0, 20)).message).toContain('truncated header');
    expect(checkpointError(bytes.subarray(0, bytes.length - 1)).message).toContain(
      'tensor last is truncated',
    );
  });

  it('a header that is not JSON', () => {
    expect(checkpointError(withHeader('{"version": 1, "step"')).message).toContain('malformed header');
  });

  it('a header that is JSON but not a checkpoint header', () => {
    const headers = [
      'null',
      '[]',
      '{"version": 1}',
      '{"version": 1, "step": 0, "meta": null, "tensors": {}}',
      '{"version": 1, "step": 0, "meta": null, "tensors": [null]}',
      '{"version": 1, "step": 0, "meta": null, "tensors": [{"key": "a", "shape": [1], "dtype": "float64", "offset": 0, "length": 1}]}',
      '{"version": 1, "step": 0, "meta": null, "tensors": [{"key": "a", "shape": [2], "dtype": "float32", "offset": 0, "length": 1}]}',
      '{"version": 1, "step": 0, "meta": null, "tensors": [{"key": "a", "shape": [1], "dtype": "float32", "offset": -4, "length": 1}]}',
      '{"version": 1, "step": 0, "meta": null, "tensors": [{"key": "a", "shape": [1], "dtype": "float32", "offset": 2, "length": 1}]}',
      '{"version": 1, "step": 0, "meta": null, "tensors": [{"key": "a", "shape": [1.5], "dtype": "float32", "offset": 0, "length": 1.5}]}',
      '{"version": 1, "step": "x", "meta": null, "tensors": []}',
    ];
    for (const header of headers) {
      expect(checkpointError(withHeader(header, new Uint8Array(16))).message, header).toContain('unreadable');
    }
  });

  it('any single corrupted header byte: decodes or is a checkpoint error, never a crash', () => {
    const bytes = encodeCheckpoint(sample());
    const headerLen = new DataView(bytes.buffer).getUint32(4, true);
    let rejected = 0;
    for (let i = 8; i < 8 + headerLen; i++) {
      for (const b of [0x00, 0x22, 0x2d, 0x7b, 0x39]) {
        const bad = bytes.slice();
        if (bad[i] === b) continue;
        bad[i] = b;
        try {
          decodeCheckpoint(bad);
        } catch (e) {
          expect(e, `byte ${i} = ${b}: ${String(e)}`).toBeInstanceOf(UserError);
          expect((e as UserError).code).toBe('checkpoint');
          rejected++;
        }
      }
    }
    expect(rejected).toBeGreaterThan(headerLen);
  });

  it('another format version, naming both versions', () => {
    const e = checkpointError(
      withHeader(`{"version": ${CHECKPOINT_VERSION + 1}, "step": 0, "meta": null, "tensors": []}`),
    );
    expect(e.message).toContain(`format version ${CHECKPOINT_VERSION + 1}`);
    expect(e.message).toContain(`reads version ${CHECKPOINT_VERSION}`);
  });
});
