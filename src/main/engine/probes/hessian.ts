/**
 * Curvature of the step's loss L_k at w = w_{k-1} (PAPER.md section 4, beyond the paper), from
 * Hessian-vector products (hessianVectorProduct.ts; two forward + backward passes each):
 *
 * - Top eigenvalue by power iteration: v_0 ~ N(0, I) normalized over all parameters together,
 *   lambda_k = <v_k, H v_k> (Rayleigh quotient, ||v_k|| = 1), v_{k+1} = H v_k / ||H v_k||; stop when
 *   |lambda_k - lambda_{k-1}| <= tolerance |lambda_k| or after maxIterations. This converges to the
 *   eigenvalue of largest MAGNITUDE, which is negative where negative curvature dominates (the
 *   series keeps the sign); the Rayleigh quotient's error shrinks like (lambda_2 / lambda_1)^(2k), so
 *   with a small gap the stopping rule can fire before convergence: `converged` only says it fired.
 * - Trace by Hutchinson: tr(H) ~ (1/S) sum_s z_s^T H z_s with Rademacher z_s (E[z z^T] = I), and the
 *   standard error of that mean, sd(z_s^T H z_s) / sqrt(S) (sample sd, S - 1 in the denominator).
 *
 * Every vector is seeded from deriveSeed(seed, 'probe-hessian', step), then per use and parameter name,
 * so the probe draws nothing from the training streams and repeats exactly. One scalar is read back
 * per power iteration (the stopping rule needs it) and one vector of S values for the trace.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { MetricPoint } from '../../../shared/events';
import type { HessianData, HessianError, ProbesConfig } from '../../../shared/probes';
import type { ParamMap, ParamSpec } from '../models/networkTypes';
import { deriveSeed } from '../rng/seeds';
import {
  DEFAULT_REL_STEP,
  disposeGates,
  gradientAt,
  hessianVectorProduct,
  recordGates,
  replayMismatch,
} from './hessianVectorProduct';
import type { ProbeContext, ProbeResult } from './probe';

/**
 * The top eigenvalue and the trace of grad^2 L_k(w_{k-1}) on the step's minibatch (training mode, the
 * step's own noise, which gradientAt redraws identically for every product). A non-finite loss or
 * product, or gates that do not replay the forward pass at w (replayMismatch), is recorded in the
 * record's `error` and ends the probe without throwing.
 */
export async function measureHessian(
  ctx: ProbeContext,
  settings: ProbesConfig['hessian'],
): Promise<ProbeResult> {
  const seed = deriveSeed(ctx.config.seed, 'probe-hessian', ctx.step);
  const specs = ctx.net.params;
  const failed = (error: string, forward: number): ProbeResult => ({
    points: [],
    records: [{ probe: 'hessian', step: ctx.step, data: { relStep: DEFAULT_REL_STEP, error } }],
    passes: { forward, backward: 0 },
  });
  if (!Number.isFinite(ctx.lossValue)) {
    return failed(`the loss is ${ctx.lossValue} at this step, so its Hessian is undefined`, 0);
  }
  // The ReLU masks and max-pool choices at w, replayed by every gradient (one forward pass).
  const gates = recordGates(ctx);
  try {
    // Replayed at w, they must give the forward pass at w (two more forward passes).
    const mismatch = await replayMismatch(ctx, gates);
    if (mismatch) return failed(mismatch, 3);
    return await measureWithGates(ctx, settings, seed, specs, gradientAt(ctx, gates));
  } finally {
    disposeGates(gates);
  }
}

async function measureWithGates(
  ctx: ProbeContext,
  settings: ProbesConfig['hessian'],
  seed: number,
  specs: readonly ParamSpec[],
  gradAt: (params: ParamMap) => ParamMap,
): Promise<ProbeResult> {
  let products = 0;
  const hvp = (v: ParamMap): ParamMap => {
    products += 1;
    return hessianVectorProduct(gradAt, ctx.before, v);
  };
  const points: MetricPoint[] = [];
  const relStep = DEFAULT_REL_STEP;
  const result = (data: HessianData | HessianError): ProbeResult => ({
    points,
    records: [{ probe: 'hessian', step: ctx.step, data }],
    // recordGates and replayMismatch's two passes, then two gradients per product.
    passes: { forward: 3, backward: 2 * products },
  });
  const point = (name: string, value: number): void => {
    points.push({ series: `probe/hessian/${name}`, step: ctx.step, value });
  };

  const power = await powerIteration(specs, seed, hvp, settings);
  const eigen = {
    relStep,
    eigenvalues: power.eigenvalues,
    iterations: power.eigenvalues.length,
    converged: power.converged,
  };
  if (power.error) return result({ ...eigen, error: power.error });
  const topEig = power.eigenvalues[power.eigenvalues.length - 1] as number;
  point('top_eig', topEig);
  point('top_eig_iterations', power.eigenvalues.length);
  point('top_eig_converged', power.converged ? 1 : 0);
  if (settings.traceSamples === 0) return result(eigen);

  const traceSamples = await hutchinsonSamples(specs, seed, hvp, settings.traceSamples);
  const bad = traceSamples.findIndex((s) => !Number.isFinite(s));
  if (bad >= 0) {
    return result({
      ...eigen,
      traceSamples,
      error: `z^T H z is ${traceSamples[bad]} for trace sample ${bad + 1}: the gradient near w is not finite`,
    });
  }
  const S = traceSamples.length;
  const trace = traceSamples.reduce((a, b) => a + b, 0) / S;
  point('trace', trace);
  if (S === 1) return result({ ...eigen, traceSamples, trace });
  const variance = traceSamples.reduce((a, s) => a + (s - trace) ** 2, 0) / (S - 1);
  const traceStderr = Math.sqrt(variance / S);
  point('trace_stderr', traceStderr);
  return result({ ...eigen, traceSamples, trace, traceStderr });
}

interface PowerResult {
  /** lambda_k for k = 1, 2, ...: the last is the estimate. */
  eigenvalues: number[];
  converged: boolean;
  error?: string;
}

type Hvp = (v: ParamMap) => ParamMap;

async function powerIteration(
  specs: readonly ParamSpec[],
  seed: number,
  hvp: Hvp,
  settings: ProbesConfig['hessian'],
): Promise<PowerResult> {
  const eigenvalues: number[] = [];
  let v = tf.tidy(() => {
    const raw: ParamMap = {};
    for (const p of specs)
      raw[p.name] = tf.randomNormal(p.shape, 0, 1, 'float32', deriveSeed(seed, 'power', p.name));
    return scaleMap(raw, tf.div(1, tf.sqrt(dot(raw, raw))));
  });
  try {
    for (let k = 1; k <= settings.maxIterations; k++) {
      const hv = hvp(v);
      const { pair, next } = tf.tidy(() => {
        const hvNorm = tf.sqrt(dot(hv, hv));
        // [<v_k, H v_k>, ||H v_k||] in one readback.
        return { pair: tf.stack([dot(v, hv), hvNorm]), next: scaleMap(hv, tf.div(1, hvNorm)) };
      });
      const [lambda, hvNorm] = Array.from(await pair.data()) as [number, number];
      [pair, ...Object.values(hv)].forEach((t) => t.dispose());
      disposeMap(v);
      v = next;
      eigenvalues.push(lambda);
      if (!Number.isFinite(lambda) || !Number.isFinite(hvNorm)) {
        return {
          eigenvalues,
          converged: false,
          error: `power iteration ${k}: <v, Hv> = ${lambda} and ||Hv|| = ${hvNorm}; the gradient near w is not finite`,
        };
      }
      // H v_k = 0 for a random v_0 means H = 0 (almost surely; lambda = 0 is then exact).
      if (hvNorm === 0) return { eigenvalues, converged: true };
      const previous = eigenvalues[k - 2];
      if (previous !== undefined && Math.abs(lambda - previous) <= settings.tolerance * Math.abs(lambda)) {
        return { eigenvalues, converged: true };
      }
    }
    return { eigenvalues, converged: false };
  } finally {
    disposeMap(v);
  }
}

/**
 * z_s^T H z_s for s = 1..S, z_s Rademacher (each entry -1 or +1 with probability 1/2), read back
 * together at the end.
 */
async function hutchinsonSamples(
  specs: readonly ParamSpec[],
  seed: number,
  hvp: Hvp,
  samples: number,
): Promise<number[]> {
  const values: tf.Scalar[] = [];
  try {
    for (let s = 0; s < samples; s++) {
      const z = tf.tidy(() => {
        const out: ParamMap = {};
        for (const p of specs) {
          const u = tf.randomUniform(p.shape, 0, 1, 'float32', deriveSeed(seed, 'hutchinson', s, p.name));
          out[p.name] = tf.sub(tf.mul(tf.cast(tf.less(u, 0.5), 'float32'), 2), 1);
        }
        return out;
      });
      const hz = hvp(z);
      values.push(tf.tidy(() => dot(z, hz)));
      disposeMap(z);
      disposeMap(hz);
    }
    const all = tf.stack(values);
    const read = Array.from(await all.data());
    all.dispose();
    return read;
  } finally {
    values.forEach((t) => t.dispose());
  }
}

/** <a, b> over every parameter of a. */
function dot(a: ParamMap, b: ParamMap): tf.Scalar {
  return tf.addN(
    Object.keys(a).map((n) => tf.sum(tf.mul(a[n] as tf.Tensor, b[n] as tf.Tensor))),
  ) as tf.Scalar;
}

function scaleMap(a: ParamMap, c: tf.Scalar): ParamMap {
  const out: ParamMap = {};
  for (const n of Object.keys(a)) out[n] = tf.mul(a[n] as tf.Tensor, c);
  return out;
}

function disposeMap(a: ParamMap): void {
  for (const t of Object.values(a)) t.dispose();
}
