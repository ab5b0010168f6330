/*
 * The ReLU gradient dx = dy * step(x), step(x) = NaN where x is NaN, 1 where x > 0, 0 elsewhere (tfjs's
 * Step with alpha 0, which the cpu backend and tfjs-core's Relu gradient use): dy where x > 0, +-0
 * where x <= 0 (the product keeps dy's sign; NaN where dy is NaN or infinite), NaN where x is NaN.
 *
 * Threads take contiguous ranges of whole 4-float vectors; the last thread also does the n % 4 tail
 * with the same operations on scalars, so every element's value is the same on any thread count.
 */
#include "normlab.h"

NL_EXPORT(relu_grad)(int thread, int threads, const float* dy, const float* x, float* dx, int n) {
  int vecs = n / 4;
  int first = nl_share_begin(vecs, thread, threads);
  int last = nl_share_begin(vecs, thread + 1, threads);
  const v128_t zero = wasm_f32x4_splat(0.0f);
  const v128_t one = wasm_f32x4_splat(1.0f);
  for (int v = first; v < last; v++) {
    v128_t xv = wasm_v128_load(x + 4 * v);
    v128_t s = wasm_v128_bitselect(one, zero, wasm_f32x4_gt(xv, zero));
    /* x itself (a NaN) where x is NaN. */
    s = wasm_v128_bitselect(xv, s, wasm_f32x4_ne(xv, xv));
    wasm_v128_store(dx + 4 * v, wasm_f32x4_mul(wasm_v128_load(dy + 4 * v), s));
  }
  if (thread != threads - 1) return;
  for (int i = vecs * 4; i < n; i++) {
    float xi = x[i];
    float s = xi != xi ? xi : (xi > 0.0f ? 1.0f : 0.0f);
    dx[i] = dy[i] * s;
  }
}
