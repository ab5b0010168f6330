/**
 * Philox4x32-10 (Salmon, Moraes, Dror, Shaw, "Parallel random numbers: as easy as 1, 2, 3", SC 2011;
 * the generator of cuRAND, JAX and PyTorch): a counter-based generator, a bijection of a 128-bit
 * counter keyed by a 64-bit key. Ten rounds of
 *
 *   (c0, c1, c2, c3) -> (hi(M1 c2) ^ c1 ^ k0, lo(M1 c2), hi(M0 c0) ^ c3 ^ k1, lo(M0 c0)),
 *   M0 = 0xD2511F53, M1 = 0xCD9E8D57, the key bumped by (0x9E3779B9, 0xBB67AE85) between rounds,
 *
 * hi/lo being the high and low 32-bit words of the 64-bit product. The words of counter i depend only
 * on (key, i), so any backend computes any element without drawing the ones before it, and a resumed
 * run redraws the same numbers.
 *
 * A stream (key, s) is the word sequence w_n = philox((floor(n / 4), s, 0, 0), key)[n mod 4], read as
 * uniforms u_n = (w_n >>> 8) 2^-24 in [0, 1) (24 bits: exact in float32), and as standard normals by
 * Box-Muller on consecutive pairs: with r = sqrt(-2 ln(1 - u_2k)) and theta = pi (2 u_2k+1 - 1),
 * z_2k = r cos(theta), z_2k+1 = r sin(theta). The WGSL kernels (backends/webgpu/philoxNoise.ts) compute
 * the same words bit for bit.
 */
import { randomStream, type SeedPath } from './seeds';

export type PhiloxKey = readonly [number, number];
export type PhiloxCounter = readonly [number, number, number, number];

const M0 = 0xd2511f53;
const M1 = 0xcd9e8d57;
const W0 = 0x9e3779b9;
const W1 = 0xbb67ae85;
const M0_LO = M0 & 0xffff;
const M0_HI = M0 >>> 16;
const M1_LO = M1 & 0xffff;
const M1_HI = M1 >>> 16;

/** Uniform [0, 1) from a word's 24 high bits. */
export const UNIFORM_SCALE = 2 ** -24;

/** The key of every round: (k0 + r W0, k1 + r W1) mod 2^32 for r = 0 .. rounds-1, interleaved. */
export function philoxRoundKeys(key: PhiloxKey, rounds = 10): Uint32Array {
  const keys = new Uint32Array(2 * rounds);
  let [k0, k1] = key;
  for (let r = 0; r < rounds; r++) {
    keys[2 * r] = k0;
    keys[2 * r + 1] = k1;
    k0 = (k0 + W0) >>> 0;
    k1 = (k1 + W1) >>> 0;
  }
  return keys;
}

/**
 * The four words of counter (c0, c1, c2, c3) (32-bit unsigned integers) under the round keys of
 * philoxRoundKeys, written to `out`. The high word of a M (a and M 32-bit) from 16-bit halves,
 * a = ah 2^16 + al, M = mh 2^16 + ml, every partial product below 2^32 (as the WGSL kernel does it):
 *   hi = ah mh + floor(ah ml / 2^16) + floor(al mh / 2^16)
 *        + floor((floor(al ml / 2^16) + (ah ml mod 2^16) + (al mh mod 2^16)) / 2^16).
 */
export function philoxBlock(
  out: Uint32Array,
  c0: number,
  c1: number,
  c2: number,
  c3: number,
  roundKeys: Uint32Array,
): void {
  for (let r = 0; r < roundKeys.length; r += 2) {
    const al = c0 & 0xffff;
    const ah = c0 >>> 16;
    const t0 = ((al * M0_LO) >>> 16) + ((ah * M0_LO) & 0xffff) + ((al * M0_HI) & 0xffff);
    const hi0 = (ah * M0_HI + ((ah * M0_LO) >>> 16) + ((al * M0_HI) >>> 16) + (t0 >>> 16)) >>> 0;
    const lo0 = Math.imul(c0, M0) >>> 0;
    const bl = c2 & 0xffff;
    const bh = c2 >>> 16;
    const t1 = ((bl * M1_LO) >>> 16) + ((bh * M1_LO) & 0xffff) + ((bl * M1_HI) & 0xffff);
    const hi1 = (bh * M1_HI + ((bh * M1_LO) >>> 16) + ((bl * M1_HI) >>> 16) + (t1 >>> 16)) >>> 0;
    const lo1 = Math.imul(c2, M1) >>> 0;
    c0 = (hi1 ^ c1 ^ (roundKeys[r] as number)) >>> 0;
    c1 = lo1;
    c2 = (hi0 ^ c3 ^ (roundKeys[r + 1] as number)) >>> 0;
    c3 = lo0;
  }
  out[0] = c0;
  out[1] = c1;
  out[2] = c2;
  out[3] = c3;
}

/**
 * The four words of `ctr` under `key`: Philox4x32-10 by default (other round counts only for
 * Random123's known-answer tests of 7 rounds).
 */
export function philox4x32(
  ctr: PhiloxCounter,
  key: PhiloxKey,
  rounds = 10,
): [number, number, number, number] {
  const out = new Uint32Array(4);
  philoxBlock(out, ctr[0], ctr[1], ctr[2], ctr[3], philoxRoundKeys(key, rounds));
  return [out[0] as number, out[1] as number, out[2] as number, out[3] as number];
}

/**
 * A 64-bit key for the path (base, ...path), from the same alea streams as every other seed
 * (seeds.ts): its first two outputs, each a multiple of 2^-32, times 2^32.
 */
export function philoxKey(base: number, ...path: SeedPath): PhiloxKey {
  const next = randomStream(base, ...path);
  return [(next() * 2 ** 32) >>> 0, (next() * 2 ** 32) >>> 0];
}

/** Words w_start .. w_start+out.length-1 of stream (key, stream), as unsigned integers. */
export function fillWords(out: Uint32Array, key: PhiloxKey, stream: number, start = 0): void {
  const block = new Uint32Array(4);
  const keys = philoxRoundKeys(key);
  let n = start;
  for (let i = 0; i < out.length;) {
    philoxBlock(block, Math.floor(n / 4), stream, 0, 0, keys);
    for (let w = n % 4; w < 4 && i < out.length; w++, i++, n++) out[i] = block[w] as number;
  }
}

/** u_0 .. u_{out.length-1} of stream (key, stream): uniforms in [0, 1) (module comment). */
export function fillUniforms(out: Float32Array | Float64Array, key: PhiloxKey, stream: number): void {
  const block = new Uint32Array(4);
  const keys = philoxRoundKeys(key);
  const n = out.length;
  for (let b = 0, i = 0; i < n; b++) {
    philoxBlock(block, b, stream, 0, 0, keys);
    for (let w = 0; w < 4 && i < n; w++, i++) out[i] = ((block[w] as number) >>> 8) * UNIFORM_SCALE;
  }
}

/** z_0 .. z_{out.length-1} of stream (key, stream): standard normals by Box-Muller (module comment). */
export function fillNormals(out: Float32Array | Float64Array, key: PhiloxKey, stream: number): void {
  const block = new Uint32Array(4);
  const keys = philoxRoundKeys(key);
  const n = out.length;
  for (let b = 0, i = 0; i < n; b++) {
    philoxBlock(block, b, stream, 0, 0, keys);
    for (let p = 0; p < 4 && i < n; p += 2) {
      const u1 = ((block[p] as number) >>> 8) * UNIFORM_SCALE;
      const u2 = ((block[p + 1] as number) >>> 8) * UNIFORM_SCALE;
      // 1 - u1 lies in [2^-24, 1]: the logarithm is finite.
      const radius = Math.sqrt(-2 * Math.log(1 - u1));
      const angle = Math.PI * (2 * u2 - 1);
      out[i++] = radius * Math.cos(angle);
      if (i < n) out[i++] = radius * Math.sin(angle);
    }
  }
}
