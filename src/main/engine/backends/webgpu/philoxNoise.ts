/**
 * Algorithm 1's noise drawn on the GPU: WGSL programs for tfjs's 'webgpu' backend that compute
 * Philox4x32-10 streams (rng/philox.ts) per element, so noisy batch norm's scale and shift tensors
 * are made where they are used instead of drawn on the host and uploaded. The words are those of
 * rng/philox.ts bit for bit: WGSL's u32 multiply wraps (the low word) and has no high word, which
 * comes from 16-bit halves exactly as philoxBlock computes it. The floats (log, cos, sin in f32) may
 * differ from the JS reference (float64, then rounded to float32) in the last bits.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { WebGPUBackend, WebGPUProgram } from '@tensorflow/tfjs-backend-webgpu';
import type { PhiloxCounter, PhiloxKey } from '../../rng/philox';

/** Philox4x32-10 and the stream reads of rng/philox.ts's module comment, in WGSL. */
const PHILOX_WGSL = `
  fn philoxMulhi(a : u32, m : u32) -> u32 {
    let al = a & 0xffffu;
    let ah = a >> 16u;
    let ml = m & 0xffffu;
    let mh = m >> 16u;
    let t = ((al * ml) >> 16u) + ((ah * ml) & 0xffffu) + ((al * mh) & 0xffffu);
    return ah * mh + ((ah * ml) >> 16u) + ((al * mh) >> 16u) + (t >> 16u);
  }

  fn philox4x32(ctr : vec4<u32>, key : vec2<u32>) -> vec4<u32> {
    var c = ctr;
    var k = key;
    for (var r = 0; r < 10; r++) {
      if (r > 0) {
        k = k + vec2<u32>(0x9e3779b9u, 0xbb67ae85u);
      }
      let hi0 = philoxMulhi(c.x, 0xd2511f53u);
      let lo0 = c.x * 0xd2511f53u;
      let hi1 = philoxMulhi(c.z, 0xcd9e8d57u);
      let lo1 = c.z * 0xcd9e8d57u;
      c = vec4<u32>(hi1 ^ c.y ^ k.x, lo1, hi0 ^ c.w ^ k.y, lo0);
    }
    return c;
  }

  fn philoxBlockOf(key : vec2<u32>, stream : u32, n : u32) -> vec4<u32> {
    return philox4x32(vec4<u32>(n >> 2u, stream, 0u, 0u), key);
  }

  fn philoxToUniform(w : u32) -> f32 {
    return f32(w >> 8u) * (1.0 / 16777216.0);
  }

  // u_n: word n mod 4 of block floor(n / 4).
  fn philoxUniform(key : vec2<u32>, stream : u32, n : u32) -> f32 {
    let b = philoxBlockOf(key, stream, n);
    return philoxToUniform(b[n & 3u]);
  }

  // z_n: Box-Muller on the pair (u_2k, u_2k+1) holding n; cos for even n, sin for odd.
  fn philoxNormal(key : vec2<u32>, stream : u32, n : u32) -> f32 {
    let b = philoxBlockOf(key, stream, n);
    let p = n & 2u;
    let u1 = philoxToUniform(b[p]);
    let u2 = philoxToUniform(b[p + 1u]);
    // -ln(1 - u1): a GPU's f32 log is accurate to an absolute 2^-21 or so near 1, which sqrt would
    // turn into 1e-3 in r for small u1; there the series u + u^2/2 + u^3/3 + u^4/4 (relative
    // error below u^4/5 < 2e-8 for u < 1/64) keeps r to float32 precision.
    var l : f32;
    if (u1 < 0.015625) {
      l = u1 * (1.0 + u1 * (0.5 + u1 * (0.33333334 + u1 * 0.25)));
    } else {
      l = -log(1.0 - u1);
    }
    let r = sqrt(2.0 * l);
    let angle = 3.14159265358979 * (2.0 * u2 - 1.0);
    if ((n & 1u) == 0u) {
      return r * cos(angle);
    }
    return r * sin(angle);
  }
`;

/** 64 threads a workgroup, one element each; the backend reshapes dispatches over its x limit. */
function flatProgram(outputShape: number[], shaderKey: string): Omit<WebGPUProgram, 'getUserCode'> {
  const size = outputShape.reduce((a, b) => a * b, 1);
  return {
    outputShape,
    shaderKey,
    variableNames: [],
    dispatchLayout: { x: outputShape.map((_, i) => i) },
    dispatch: [Math.ceil(size / 64), 1, 1],
    workgroupSize: [64, 1, 1],
    size: true,
  };
}

/** The 'webgpu' backend when it is tfjs's current backend, else undefined. */
export function currentWebGpuBackend(): WebGPUBackend | undefined {
  if (tf.getBackend() !== 'webgpu') return undefined;
  const backend = tf.backend() as Partial<WebGPUBackend>;
  return typeof backend.runWebGPUProgram === 'function' ? (backend as WebGPUBackend) : undefined;
}

/**
 * `count` words of Philox4x32-10 under `key` from counter `ctr` on: word i is word i mod 4 of counter
 * (ctr0 + floor(i / 4) mod 2^32, ctr1, ctr2, ctr3), as int32 bit patterns (read them with >>> 0).
 * With ctr = (0, s, 0, 0) these are the words of stream s.
 */
export function philoxWordsOnWebGpu(
  backend: WebGPUBackend,
  key: PhiloxKey,
  ctr: PhiloxCounter,
  count: number,
): tf.Tensor1D {
  const program: WebGPUProgram = {
    ...flatProgram([count], 'normlabPhiloxWords'),
    uniforms: 'key0 : u32, key1 : u32, ctr0 : u32, ctr1 : u32, ctr2 : u32, ctr3 : u32,',
    getUserCode: () => `
      ${PHILOX_WGSL}
      fn main(index : i32) {
        if (index < uniforms.size) {
          let n = u32(index);
          let c = vec4<u32>(uniforms.ctr0 + (n >> 2u), uniforms.ctr1, uniforms.ctr2, uniforms.ctr3);
          let b = philox4x32(c, vec2<u32>(uniforms.key0, uniforms.key1));
          setOutputAtIndexI32(index, bitcast<i32>(b[n & 3u]));
        }
      }
    `,
  };
  const uniforms = [...key, ...ctr].map((v) => ({ type: 'uint32', data: [v] }));
  const info = backend.runWebGPUProgram(program, [], 'int32', uniforms);
  return tf.engine().makeTensorFromTensorInfo(info) as tf.Tensor1D;
}

/** Where Algorithm 1 reads its numbers, and its constants (noisyBatchNorm.ts). */
export interface Algorithm1PhiloxSpec {
  key: PhiloxKey;
  /** Stream of the per-unit numbers: mu_j from u_2j, sigma_j from u_2j+1. */
  unitStream: number;
  /** Stream of m: element i reads u_i. */
  shiftStream: number;
  /** Stream of s: element i reads z_i. */
  scaleStream: number;
  meanRange: number;
  meanJitter: number;
  sigmaLow: number;
  sigmaHigh: number;
  sigmaStd: number;
}

/**
 * Algorithm 1's shift and scale for an activation of `shape` (units last), computed on the GPU:
 * element i of unit j = i mod units gets
 *   m_i = mu_j + meanJitter (2 u_i - 1),  mu_j = meanRange (2 u_2j - 1)   (streams shift, unit),
 *   s_i = sigma_j + sigmaStd z_i,         sigma_j = sigmaLow + (sigmaHigh - sigmaLow) u_2j+1.
 * Each thread recomputes its unit's block: one Philox block more per element, cheaper on a GPU than
 * a second pass. The caller owns the tensors.
 */
export function algorithm1NoiseOnWebGpu(
  backend: WebGPUBackend,
  spec: Algorithm1PhiloxSpec,
  shape: readonly number[],
): { scale: tf.Tensor; shift: tf.Tensor } {
  const units = shape[shape.length - 1];
  if (units === undefined || units < 1) throw new Error('algorithm1NoiseOnWebGpu: empty activation shape');
  const uniforms =
    'key0 : u32, key1 : u32, units : u32, unitStream : u32, stream : u32, a : f32, b : f32, c : f32,';
  const run = (kind: 'shift' | 'scale', stream: number, a: number, b: number, c: number): tf.Tensor => {
    const body =
      kind === 'shift'
        ? `let mu = uniforms.a * (2.0 * philoxUniform(key, uniforms.unitStream, 2u * j) - 1.0);
           let value = mu + uniforms.b * (2.0 * philoxUniform(key, uniforms.stream, n) - 1.0);`
        : `let sigma = uniforms.a + (uniforms.b - uniforms.a) * philoxUniform(key, uniforms.unitStream, 2u * j + 1u);
           let value = sigma + uniforms.c * philoxNormal(key, uniforms.stream, n);`;
    const program: WebGPUProgram = {
      ...flatProgram([...shape], `normlabAlgorithm1_${kind}`),
      uniforms,
      getUserCode: () => `
        ${PHILOX_WGSL}
        fn main(index : i32) {
          if (index < uniforms.size) {
            let n = u32(index);
            let j = n % uniforms.units;
            let key = vec2<u32>(uniforms.key0, uniforms.key1);
            ${body}
            setOutputAtIndex(index, value);
          }
        }
      `,
    };
    const info = backend.runWebGPUProgram(program, [], 'float32', [
      { type: 'uint32', data: [spec.key[0]] },
      { type: 'uint32', data: [spec.key[1]] },
      { type: 'uint32', data: [units] },
      { type: 'uint32', data: [spec.unitStream] },
      { type: 'uint32', data: [stream] },
      { type: 'float32', data: [a] },
      { type: 'float32', data: [b] },
      { type: 'float32', data: [c] },
    ]);
    return tf.engine().makeTensorFromTensorInfo(info);
  };
  const shift = run('shift', spec.shiftStream, spec.meanRange, spec.meanJitter, 0);
  const scale = run('scale', spec.scaleStream, spec.sigmaLow, spec.sigmaHigh, spec.sigmaStd);
  return { scale, shift };
}
