import { describe, expect, it } from 'vitest';
import {
  UNIFORM_SCALE,
  fillNormals,
  fillUniforms,
  fillWords,
  philox4x32,
  philoxKey,
  type PhiloxCounter,
  type PhiloxKey,
} from '../../../../src/main/engine/rng/philox';
import { randomStream } from '../../../../src/main/engine/rng/seeds';

/**
 * Random123's known answers (tests/kat_vectors of github.com/DEShawResearch/random123, the philox4x32
 * lines): rounds, counter, key, the four output words.
 */
const KAT: [number, PhiloxCounter, PhiloxKey, [number, number, number, number]][] = [
  [7, [0, 0, 0, 0], [0, 0], [0x5f6fb709, 0x0d893f64, 0x4f121f81, 0x4f730a48]],
  [
    7,
    [0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff],
    [0xffffffff, 0xffffffff],
    [0x5207ddc2, 0x45165e59, 0x4d8ee751, 0x8c52f662],
  ],
  [
    7,
    [0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344],
    [0xa4093822, 0x299f31d0],
    [0x4dfccaba, 0x190a87f0, 0xc47362ba, 0xb6b5242a],
  ],
  [10, [0, 0, 0, 0], [0, 0], [0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8]],
  [
    10,
    [0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff],
    [0xffffffff, 0xffffffff],
    [0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd],
  ],
  [
    10,
    [0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344],
    [0xa4093822, 0x299f31d0],
    [0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1],
  ],
];

/** Philox4x32 written independently with BigInt products, as the paper states it. */
function philoxBigInt(ctr: PhiloxCounter, key: PhiloxKey, rounds = 10): number[] {
  const mask = 0xffffffffn;
  let [c0, c1, c2, c3] = ctr.map(BigInt) as [bigint, bigint, bigint, bigint];
  let [k0, k1] = key.map(BigInt) as [bigint, bigint];
  for (let r = 0; r < rounds; r++) {
    const p0 = 0xd2511f53n * c0;
    const p1 = 0xcd9e8d57n * c2;
    [c0, c1, c2, c3] = [((p1 >> 32n) ^ c1 ^ k0) & mask, p1 & mask, ((p0 >> 32n) ^ c3 ^ k1) & mask, p0 & mask];
    k0 = (k0 + 0x9e3779b9n) & mask;
    k1 = (k1 + 0xbb67ae85n) & mask;
  }
  return [c0, c1, c2, c3].map(Number);
}

/** Words spread over the whole 32-bit range, edges included. */
function words(n: number, seed: number): number[] {
  const u = randomStream(seed, 'philox-test');
  const edges = [0, 1, 0xffff, 0x10000, 0x7fffffff, 0x80000000, 0xfffeffff, 0xffffffff];
  return [...edges, ...Array.from({ length: n }, () => Math.floor(u() * 2 ** 32))];
}

const moments = (xs: ArrayLike<number>): { mean: number; variance: number; kurtosis: number } => {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i] as number;
  const mean = s / xs.length;
  let m2 = 0;
  let m4 = 0;
  for (let i = 0; i < xs.length; i++) {
    const d = (xs[i] as number) - mean;
    m2 += d * d;
    m4 += d ** 4;
  }
  const variance = m2 / xs.length;
  return { mean, variance, kurtosis: m4 / xs.length / variance ** 2 };
};

describe('Philox4x32', () => {
  it.each(KAT)('matches Random123 with %i rounds for counter %j', (rounds, ctr, key, expected) => {
    expect(philox4x32(ctr, key, rounds)).toEqual(expected);
    expect(philoxBigInt(ctr, key, rounds)).toEqual(expected);
  });

  it('agrees with exact 64-bit products over the whole word range (the 16-bit-halves high word)', () => {
    const w = words(4000, 1);
    for (let i = 0; i + 5 < w.length; i += 3) {
      const ctr: PhiloxCounter = [w[i] as number, w[i + 1] as number, w[i + 2] as number, w[i + 3] as number];
      const key: PhiloxKey = [w[i + 4] as number, w[i + 5] as number];
      expect(philox4x32(ctr, key)).toEqual(philoxBigInt(ctr, key));
    }
  });
});

describe('Philox streams', () => {
  const key: PhiloxKey = [0x01234567, 0x89abcdef];

  it('word n of stream s is word n mod 4 of counter (floor(n / 4), s, 0, 0), wherever the read starts', () => {
    const all = new Uint32Array(37);
    fillWords(all, key, 5);
    all.forEach((w, n) => expect(w).toBe(philox4x32([Math.floor(n / 4), 5, 0, 0], key)[n % 4]));
    for (const start of [1, 6, 30]) {
      const part = new Uint32Array(all.length - start);
      fillWords(part, key, 5, start);
      expect(Array.from(part)).toEqual(Array.from(all.subarray(start)));
    }
    const other = new Uint32Array(37);
    fillWords(other, key, 6);
    expect(Array.from(other)).not.toEqual(Array.from(all));
  });

  it('uniforms are the 24 high bits of the words times 2^-24, the same whatever the count drawn', () => {
    const w = new Uint32Array(1001);
    fillWords(w, key, 2);
    const u = new Float64Array(1001);
    fillUniforms(u, key, 2);
    u.forEach((v, n) => expect(v).toBe(((w[n] as number) >>> 8) * UNIFORM_SCALE));
    const f32 = new Float32Array(7);
    fillUniforms(f32, key, 2);
    // 24 bits are exact in float32.
    expect(Array.from(f32)).toEqual(Array.from(u.subarray(0, 7)));
  });

  it('uniforms fill [0, 1) evenly: mean 1/2, variance 1/12, every tenth about as full', () => {
    const n = 400_000;
    const u = new Float64Array(n);
    fillUniforms(u, [7, 9], 1);
    const m = moments(u);
    // Standard errors: sqrt(1/12/n) = 4.6e-4 for the mean, about 1.1e-4 for the variance.
    expect(Math.abs(m.mean - 0.5)).toBeLessThan(2.5e-3);
    expect(Math.abs(m.variance - 1 / 12)).toBeLessThan(6e-4);
    const bins = new Array<number>(10).fill(0);
    let lo = 1;
    let hi = 0;
    for (const v of u) {
      bins[Math.floor(v * 10)] = (bins[Math.floor(v * 10)] as number) + 1;
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    // Each bin holds n/10 = 40000 +- 190 (one standard deviation).
    for (const b of bins) expect(Math.abs(b - n / 10)).toBeLessThan(1200);
    expect(lo).toBeGreaterThanOrEqual(0);
    expect(lo).toBeLessThan(1e-4);
    expect(hi).toBeLessThan(1);
    expect(hi).toBeGreaterThan(1 - 1e-4);
  });

  it('normals are standard: mean 0, variance 1, kurtosis 3, 68.3% within one sigma, pairs uncorrelated', () => {
    const n = 400_000;
    const z = new Float64Array(n);
    fillNormals(z, [3, 4], 2);
    const m = moments(z);
    // Standard errors: 1.6e-3 for the mean, 2.2e-3 for the variance, 7.7e-3 for the kurtosis.
    expect(Math.abs(m.mean)).toBeLessThan(8e-3);
    expect(Math.abs(m.variance - 1)).toBeLessThan(1.1e-2);
    expect(Math.abs(m.kurtosis - 3)).toBeLessThan(4e-2);
    let within = 0;
    let cross = 0;
    for (let i = 0; i < n; i++) if (Math.abs(z[i] as number) < 1) within++;
    // z_2k = r cos(theta) and z_2k+1 = r sin(theta) share r but are uncorrelated.
    for (let k = 0; k < n; k += 2) cross += (z[k] as number) * (z[k + 1] as number);
    expect(Math.abs(within / n - 0.682689)).toBeLessThan(4e-3);
    expect(Math.abs(cross / (n / 2))).toBeLessThan(1e-2);
    // Box-Muller on two consecutive uniforms, cos then sin.
    const u = new Float64Array(4);
    fillUniforms(u, [3, 4], 2);
    const r = Math.sqrt(-2 * Math.log(1 - (u[0] as number)));
    const angle = Math.PI * (2 * (u[1] as number) - 1);
    expect(z[0]).toBe(r * Math.cos(angle));
    expect(z[1]).toBe(r * Math.sin(angle));
    // Element i does not depend on how many were drawn (an odd count ends on a cosine).
    const few = new Float64Array(5);
    fillNormals(few, [3, 4], 2);
    expect(Array.from(few)).toEqual(Array.from(z.subarray(0, 5)));
  });
});

describe('philoxKey', () => {
  it("is the alea stream's first two words for the path: deterministic, 32-bit, different per path", () => {
    const key = philoxKey(7, 'noise', 3);
    const next = randomStream(7, 'noise', 3);
    expect(key).toEqual([Math.floor(next() * 2 ** 32), Math.floor(next() * 2 ** 32)]);
    expect(philoxKey(7, 'noise', 3)).toEqual(key);
    for (const w of key) expect(Number.isInteger(w) && w >= 0 && w < 2 ** 32).toBe(true);
    expect(philoxKey(7, 'noise', 4)).not.toEqual(key);
    expect(philoxKey(8, 'noise', 3)).not.toEqual(key);
  });
});
