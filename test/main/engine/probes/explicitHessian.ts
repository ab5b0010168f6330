/**
 * An independent float64 reference for the Hessian probes: the loss of a one-hidden-layer `mlp`
 * (optionally batch-normalized) written in plain JS, its explicit Hessian by second differences, and
 * a Jacobi eigen-solve. Nothing here touches tfjs except reading tensors into float64 arrays.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Network, ParamMap } from '../../../../src/main/engine/models/networkTypes';

/** The parameters of `net` concatenated in net.params order, as float64. */
export function flatten(net: Network, params: ParamMap): Float64Array {
  const out: number[] = [];
  for (const p of net.params) out.push(...(params[p.name] as tf.Tensor).dataSync());
  return Float64Array.from(out);
}

/** The inverse of flatten: float32 tensors by name (owned by the caller). */
export function unflatten(net: Network, flat: ArrayLike<number>): ParamMap {
  const out: ParamMap = {};
  let k = 0;
  for (const p of net.params) {
    const size = p.shape.reduce((a, b) => a * b, 1);
    out[p.name] = tf.tensor(Array.from(flat).slice(k, k + size), p.shape);
    k += size;
  }
  return out;
}

export interface MlpProblem {
  /** Rows of the input batch and of the targets. */
  x: number[][];
  y: number[][];
  hidden: number;
  /** Batch normalization after the hidden linear map (biased batch variance, eps inside the sqrt). */
  batchNorm: boolean;
  eps: number;
}

/**
 * Sum over the batch of ||out - y||^2 for out = ReLU(Norm(x W1 + b1)) W2 + b2, parameters in the
 * order of paramSpecs (W1, b1, [gamma, beta], W2, b2). Also the smallest |pre-ReLU value|, so a test
 * can check that its finite differences stay away from the kinks.
 */
export function mlpLoss(p: MlpProblem, w: ArrayLike<number>): { loss: number; margin: number } {
  const nIn = (p.x[0] as number[]).length;
  const nOut = (p.y[0] as number[]).length;
  const h = p.hidden;
  let k = 0;
  const take = (n: number): number[] => {
    const out = Array.from({ length: n }, (_, i) => w[k + i] as number);
    k += n;
    return out;
  };
  const w1 = take(nIn * h);
  const b1 = take(h);
  const gamma = p.batchNorm ? take(h) : [];
  const beta = p.batchNorm ? take(h) : [];
  const w2 = take(h * nOut);
  const b2 = take(nOut);
  const m = p.x.length;
  const z = p.x.map((row) =>
    Array.from({ length: h }, (_, j) =>
      row.reduce((s, xi, i) => s + xi * (w1[i * h + j] as number), b1[j] as number),
    ),
  );
  if (p.batchNorm) {
    for (let j = 0; j < h; j++) {
      const mean = z.reduce((s, r) => s + (r[j] as number), 0) / m;
      const variance = z.reduce((s, r) => s + ((r[j] as number) - mean) ** 2, 0) / m;
      const inv = 1 / Math.sqrt(variance + p.eps);
      for (const r of z) r[j] = (gamma[j] as number) * ((r[j] as number) - mean) * inv + (beta[j] as number);
    }
  }
  let margin = Infinity;
  let loss = 0;
  z.forEach((r, n) => {
    for (const a of r) margin = Math.min(margin, Math.abs(a));
    const hRow = r.map((a) => Math.max(a, 0));
    for (let o = 0; o < nOut; o++) {
      const out = hRow.reduce((s, a, j) => s + a * (w2[j * nOut + o] as number), b2[o] as number);
      loss += (out - ((p.y[n] as number[])[o] as number)) ** 2;
    }
  });
  return { loss, margin };
}

/**
 * H_ij ~ [f(w + h e_i + h e_j) - f(w + h e_i - h e_j) - f(w - h e_i + h e_j) + f(w - h e_i - h e_j)] / 4h^2
 * in float64: truncation O(h^2), round-off O(1e-16 |f| / h^2), both ~1e-8 relative at h = 1e-4.
 */
export function explicitHessian(f: (w: Float64Array) => number, w: Float64Array, h = 1e-4): number[][] {
  const n = w.length;
  const at = (i: number, si: number, j: number, sj: number): number => {
    const u = Float64Array.from(w);
    u[i] = (u[i] as number) + si * h;
    u[j] = (u[j] as number) + sj * h;
    return f(u);
  };
  const H = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      const v = (at(i, 1, j, 1) - at(i, 1, j, -1) - at(i, -1, j, 1) + at(i, -1, j, -1)) / (4 * h * h);
      (H[i] as number[])[j] = v;
      (H[j] as number[])[i] = v;
    }
  }
  return H;
}

export function matVec(H: number[][], v: ArrayLike<number>): number[] {
  return H.map((row) => row.reduce((s, a, j) => s + a * (v[j] as number), 0));
}

/** All eigenvalues of a symmetric matrix by cyclic Jacobi rotations, ascending. */
export function symmetricEigenvalues(H: number[][]): number[] {
  const n = H.length;
  const a = H.map((r) => [...r]);
  const get = (i: number, j: number): number => (a[i] as number[])[j] as number;
  const set = (i: number, j: number, v: number): void => {
    (a[i] as number[])[j] = v;
  };
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) off += get(i, j) ** 2;
    if (off < 1e-22) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        if (Math.abs(get(p, q)) < 1e-300) continue;
        const theta = (get(q, q) - get(p, p)) / (2 * get(p, q));
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = get(k, p);
          const akq = get(k, q);
          set(k, p, c * akp - s * akq);
          set(k, q, s * akp + c * akq);
        }
        for (let k = 0; k < n; k++) {
          const apk = get(p, k);
          const aqk = get(q, k);
          set(p, k, c * apk - s * aqk);
          set(q, k, s * apk + c * aqk);
        }
      }
    }
  }
  return Array.from({ length: n }, (_, i) => get(i, i)).sort((x, y) => x - y);
}
