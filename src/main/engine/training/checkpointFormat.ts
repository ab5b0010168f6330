/**
 * The checkpoint file format: everything needed to continue a run bit-for-bit.
 *
 *   bytes 0..3   magic "NLCK"
 *   bytes 4..7   header length H (uint32, little endian)
 *   bytes 8..8+H UTF-8 JSON header: { version, step, meta, tensors: [{ key, shape, dtype, offset, length }] }
 *   then         the tensors' raw little-endian data, each 4-byte aligned, at `offset` from the data start
 *
 * Raw float32 bytes (not JSON numbers) so that weights, optimizer state and running estimates come back
 * exactly; that is what makes a resumed run follow the uninterrupted trajectory.
 */
import { UserError } from '../../../shared/errors';

export const CHECKPOINT_VERSION = 1;
const MAGIC = 0x4b434c4e; // "NLCK" read as little-endian uint32

export type CheckpointDtype = 'float32' | 'int32';

export interface CheckpointTensor {
  key: string;
  shape: number[];
  dtype: CheckpointDtype;
  data: Float32Array | Int32Array;
}

export interface CheckpointContents<Meta> {
  step: number;
  meta: Meta;
  tensors: CheckpointTensor[];
}

interface HeaderEntry {
  key: string;
  shape: number[];
  dtype: CheckpointDtype;
  offset: number;
  length: number;
}

interface Header<Meta> {
  version: number;
  step: number;
  meta: Meta;
  tensors: HeaderEntry[];
}

export function encodeCheckpoint<Meta>(contents: CheckpointContents<Meta>): Uint8Array {
  let offset = 0;
  const entries: HeaderEntry[] = contents.tensors.map((t) => {
    const entry = { key: t.key, shape: t.shape, dtype: t.dtype, offset, length: t.data.length };
    offset += t.data.length * 4;
    return entry;
  });
  const header: Header<Meta> = {
    version: CHECKPOINT_VERSION,
    step: contents.step,
    meta: contents.meta,
    tensors: entries,
  };
  const json = new TextEncoder().encode(JSON.stringify(header));
  const headerLen = Math.ceil(json.length / 4) * 4;
  const out = new Uint8Array(8 + headerLen + offset);
  const view = new DataView(out.buffer);
  view.setUint32(0, MAGIC, true);
  view.setUint32(4, headerLen, true);
  out.set(json, 8);
  out.fill(0x20, 8 + json.length, 8 + headerLen); // pad the JSON with spaces
  const dataStart = 8 + headerLen;
  contents.tensors.forEach((t, i) => {
    const entry = entries[i] as HeaderEntry;
    out.set(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength), dataStart + entry.offset);
  });
  return out;
}

export function decodeCheckpoint<Meta>(bytes: Uint8Array): CheckpointContents<Meta> {
  const corrupt = (why: string): UserError =>
    new UserError(
      'checkpoint',
      `the checkpoint is unreadable (${why}); resume from an earlier checkpoint or start a new run`,
    );
  if (bytes.length < 8) throw corrupt('too short');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint32(0, true) !== MAGIC) throw corrupt('not a NormLab checkpoint');
  const headerLen = view.getUint32(4, true);
  if (8 + headerLen > bytes.length) throw corrupt('truncated header');
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + headerLen)));
  } catch {
    throw corrupt('malformed header');
  }
  if (!isHeader(parsed)) throw corrupt('malformed header');
  const header = parsed as Header<Meta>;
  if (header.version !== CHECKPOINT_VERSION) {
    throw new UserError(
      'checkpoint',
      `the checkpoint has format version ${header.version}; this NormLab reads version ${CHECKPOINT_VERSION}. Use the NormLab that wrote it`,
    );
  }
  const dataStart = 8 + headerLen;
  const tensors = header.tensors.map((e): CheckpointTensor => {
    const begin = dataStart + e.offset;
    const end = begin + e.length * 4;
    if (end > bytes.length) throw corrupt(`tensor ${e.key} is truncated`);
    // Copy into a fresh aligned buffer: the source may be a Node Buffer slice at any offset. Not
    // bytes.slice: Buffer#slice returns a view of the same memory, not a copy.
    const raw = new Uint8Array(bytes.subarray(begin, end)).buffer;
    const data = e.dtype === 'int32' ? new Int32Array(raw) : new Float32Array(raw);
    return { key: e.key, shape: e.shape, dtype: e.dtype, data };
  });
  return { step: header.step, meta: header.meta, tensors };
}

/**
 * The header's structure (a corrupted file can hold valid JSON of another shape): each entry's
 * offset is a 4-aligned non-negative integer and its length the product of its shape.
 */
function isHeader(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const h = value as Partial<Header<unknown>>;
  return typeof h.version === 'number' && (h.version !== CHECKPOINT_VERSION || isV1Body(h));
}

function isV1Body(h: Partial<Header<unknown>>): boolean {
  return Number.isInteger(h.step) && Array.isArray(h.tensors) && h.tensors.every(isEntry);
}

function isEntry(value: unknown): value is HeaderEntry {
  if (typeof value !== 'object' || value === null) return false;
  const e = value as Partial<HeaderEntry>;
  const shapeOk = Array.isArray(e.shape) && e.shape.every((d) => Number.isInteger(d) && (d as number) >= 0);
  return (
    typeof e.key === 'string' &&
    (e.dtype === 'float32' || e.dtype === 'int32') &&
    Number.isInteger(e.offset) &&
    (e.offset as number) >= 0 &&
    (e.offset as number) % 4 === 0 &&
    shapeOk &&
    e.length === (e.shape as number[]).reduce((n, d) => n * d, 1)
  );
}
