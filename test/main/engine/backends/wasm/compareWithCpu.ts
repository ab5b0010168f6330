/**
 * Test support: runs the same tensor program on the `cpu` backend (the reference) and on `wasm` with
 * NormLab's kernels, and compares the results at float32 tolerance.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { expect } from 'vitest';
import { setupWasmBackend } from '../../../../../src/main/engine/backends/wasm';
import type { ConvCase } from './convCases';

/** The program's outputs on `backend`, read back and disposed. */
export async function runOn(backend: 'cpu' | 'wasm', program: () => tf.Tensor[]): Promise<Float32Array[]> {
  if (backend === 'wasm') await setupWasmBackend();
  else await tf.setBackend('cpu');
  const outs = tf.tidy(program);
  const values = outs.map((t) => t.dataSync() as Float32Array);
  tf.dispose(outs);
  return values;
}

/** |actual - expected| <= rtol * max|expected| (+ a tiny absolute floor), entry by entry. */
export function expectClose(actual: Float32Array[], expected: Float32Array[], rtol = 1e-4): void {
  expect(actual.length).toBe(expected.length);
  expected.forEach((e, k) => {
    const a = actual[k] as Float32Array;
    expect(a.length).toBe(e.length);
    let scale = 0;
    for (const v of e) scale = Math.max(scale, Math.abs(v));
    let worst = 0;
    for (let i = 0; i < e.length; i++) worst = Math.max(worst, Math.abs((a[i] as number) - (e[i] as number)));
    expect(worst, `output ${k}: max abs error ${worst} vs scale ${scale}`).toBeLessThanOrEqual(
      rtol * scale + 1e-6,
    );
  });
}

/** The program on cpu and on wasm must agree. */
export async function expectSameOnWasmAsCpu(program: () => tf.Tensor[], rtol = 1e-4): Promise<void> {
  const expected = await runOn('cpu', program);
  const actual = await runOn('wasm', program);
  expectClose(actual, expected, rtol);
}

/** Seeded normal entries (the same on both backends). */
export function normal(shape: number[], seed: number): tf.Tensor {
  return tf.randomNormal(shape, 0, 1, 'float32', seed);
}

/**
 * The gradient of L = sum(conv(x, W) * r), for fixed random x, W and r, with respect to x
 * (Conv2DBackpropInput with dy = r) or to W (Conv2DBackpropFilter with dy = r).
 */
export function convGradient(c: ConvCase, wrt: 'x' | 'filter'): () => tf.Tensor[] {
  return () => {
    const x = normal(c.x, 1) as tf.Tensor4D;
    const w = normal(c.filter, 2) as tf.Tensor4D;
    const r = normal(tf.conv2d(x, w, c.strides, c.pad as 'same').shape, 3);
    const loss = (xv: tf.Tensor, wv: tf.Tensor): tf.Scalar =>
      tf.sum(tf.mul(tf.conv2d(xv as tf.Tensor4D, wv as tf.Tensor4D, c.strides, c.pad as 'same'), r));
    return [
      wrt === 'x' ? tf.grad((xv: tf.Tensor) => loss(xv, w))(x) : tf.grad((wv: tf.Tensor) => loss(x, wv))(w),
    ];
  };
}
