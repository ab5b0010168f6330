/*
 * Batch normalization in training mode over x [rows][C] (rows = N, or N H W for NHWC activations),
 * per channel c with m = rows:
 *
 *   forward:  mu = (1/m) sum x,  var = (1/m) sum (x - mu)^2 (biased),  s = 1/sqrt(var + eps),
 *             z = (x - mu) gamma s + beta;
 *   backward: dBeta = sum g,  dGamma = s sum g (x - mu),
 *             dx = a g + b (x - mu) + c,  a = gamma s,  b = -a s dGamma / m,  c = -a dBeta / m
 *
 * (norms/batchNorm.ts derives them). The per-channel statistics take two reading passes, the
 * corrected two-pass algorithm (Chan, Golub & LeVeque 1983):
 *   pass 1: S = sum (x - x_0), x_0 the first row (a shift that keeps the float32 partial sums of
 *           a large-mean channel, e.g. mean 1e4 and std 1, as small as the spread), centre
 *           c = x_0 + S / m rounded to float32;
 *   pass 2: S1 = sum (x - c), S2 = sum (x - c)^2, mu = c + S1 / m, var = S2 / m - (S1 / m)^2.
 * S1 is only the rounding left in c, so the correction cancels nothing, and x - c is exact wherever
 * x is within a factor of 2 of c (Sterbenz), i.e. the squares see the spread, not the mean.
 *
 * Reductions are deterministic on any thread count: rows are cut into blocks of `br` rows (chosen by
 * the caller from C alone), each block's per-channel sum is accumulated in float32 (a few hundred
 * terms at most) and stored as float64 in part[block][C]; a second call adds the blocks' partials per
 * channel in block order, in float64. Threads share blocks in the first call, channels in the second
 * and rows in the elementwise passes; which thread does a block never changes its arithmetic.
 */
#include "normlab.h"

/* v's 4 lanes as float64 into dst[0..4). */
static inline void store_f64(double* dst, v128_t v) {
  wasm_v128_store(dst, wasm_f64x2_promote_low_f32x4(v));
  wasm_v128_store(dst + 2, wasm_f64x2_promote_low_f32x4(wasm_i32x4_shuffle(v, v, 2, 3, 2, 3)));
}

#define LD(p) wasm_v128_load(p)
#define ADD wasm_f32x4_add
#define SUB wasm_f32x4_sub
#define MUL wasm_f32x4_mul

/*
 * Rows [r0, r1) of x: p1[c] = sum (x - ctr[c]) and, when `squares`, p2[c] = sum (x - ctr[c])^2, for
 * every channel. 16 channels at a time (4 independent add chains per sum), then 4, then one.
 */
static inline void sums_block(const float* x, int C, int r0, int r1, const float* ctr, int squares, double* p1,
                              double* p2) {
  int c = 0;
  for (; c + 16 <= C; c += 16) {
    v128_t k0 = LD(ctr + c), k1 = LD(ctr + c + 4), k2 = LD(ctr + c + 8), k3 = LD(ctr + c + 12);
    v128_t z = wasm_f32x4_splat(0.0f);
    v128_t s0 = z, s1 = z, s2 = z, s3 = z, q0 = z, q1 = z, q2 = z, q3 = z;
    const float* p = x + r0 * C + c;
    if (squares) {
      for (int r = r0; r < r1; r++, p += C) {
        v128_t d0 = SUB(LD(p), k0), d1 = SUB(LD(p + 4), k1), d2 = SUB(LD(p + 8), k2), d3 = SUB(LD(p + 12), k3);
        s0 = ADD(s0, d0);
        s1 = ADD(s1, d1);
        s2 = ADD(s2, d2);
        s3 = ADD(s3, d3);
        q0 = ADD(q0, MUL(d0, d0));
        q1 = ADD(q1, MUL(d1, d1));
        q2 = ADD(q2, MUL(d2, d2));
        q3 = ADD(q3, MUL(d3, d3));
      }
      store_f64(p2 + c, q0);
      store_f64(p2 + c + 4, q1);
      store_f64(p2 + c + 8, q2);
      store_f64(p2 + c + 12, q3);
    } else {
      for (int r = r0; r < r1; r++, p += C) {
        s0 = ADD(s0, SUB(LD(p), k0));
        s1 = ADD(s1, SUB(LD(p + 4), k1));
        s2 = ADD(s2, SUB(LD(p + 8), k2));
        s3 = ADD(s3, SUB(LD(p + 12), k3));
      }
    }
    store_f64(p1 + c, s0);
    store_f64(p1 + c + 4, s1);
    store_f64(p1 + c + 8, s2);
    store_f64(p1 + c + 12, s3);
  }
  for (; c + 4 <= C; c += 4) {
    v128_t k0 = LD(ctr + c);
    v128_t s0 = wasm_f32x4_splat(0.0f), q0 = s0;
    const float* p = x + r0 * C + c;
    for (int r = r0; r < r1; r++, p += C) {
      v128_t d0 = SUB(LD(p), k0);
      s0 = ADD(s0, d0);
      if (squares) q0 = ADD(q0, MUL(d0, d0));
    }
    store_f64(p1 + c, s0);
    if (squares) store_f64(p2 + c, q0);
  }
  for (; c < C; c++) {
    float k = ctr[c], s = 0.0f, q = 0.0f;
    const float* p = x + r0 * C + c;
    for (int r = r0; r < r1; r++, p += C) {
      float d = *p - k;
      s += d;
      if (squares) q += d * d;
    }
    p1[c] = s;
    if (squares) p2[c] = q;
  }
}

/* The same for the backward pass: p1[c] = sum g, p2[c] = sum g (x - mu[c]). */
static inline void grad_sums_block(const float* g, const float* x, int C, int r0, int r1, const float* mu,
                                   double* p1, double* p2) {
  int c = 0;
  for (; c + 16 <= C; c += 16) {
    v128_t k0 = LD(mu + c), k1 = LD(mu + c + 4), k2 = LD(mu + c + 8), k3 = LD(mu + c + 12);
    v128_t z = wasm_f32x4_splat(0.0f);
    v128_t s0 = z, s1 = z, s2 = z, s3 = z, q0 = z, q1 = z, q2 = z, q3 = z;
    const float* pg = g + r0 * C + c;
    const float* px = x + r0 * C + c;
    for (int r = r0; r < r1; r++, pg += C, px += C) {
      v128_t g0 = LD(pg), g1 = LD(pg + 4), g2 = LD(pg + 8), g3 = LD(pg + 12);
      s0 = ADD(s0, g0);
      s1 = ADD(s1, g1);
      s2 = ADD(s2, g2);
      s3 = ADD(s3, g3);
      q0 = ADD(q0, MUL(g0, SUB(LD(px), k0)));
      q1 = ADD(q1, MUL(g1, SUB(LD(px + 4), k1)));
      q2 = ADD(q2, MUL(g2, SUB(LD(px + 8), k2)));
      q3 = ADD(q3, MUL(g3, SUB(LD(px + 12), k3)));
    }
    store_f64(p1 + c, s0);
    store_f64(p1 + c + 4, s1);
    store_f64(p1 + c + 8, s2);
    store_f64(p1 + c + 12, s3);
    store_f64(p2 + c, q0);
    store_f64(p2 + c + 4, q1);
    store_f64(p2 + c + 8, q2);
    store_f64(p2 + c + 12, q3);
  }
  for (; c + 4 <= C; c += 4) {
    v128_t k0 = LD(mu + c);
    v128_t s0 = wasm_f32x4_splat(0.0f), q0 = s0;
    const float* pg = g + r0 * C + c;
    const float* px = x + r0 * C + c;
    for (int r = r0; r < r1; r++, pg += C, px += C) {
      v128_t g0 = LD(pg);
      s0 = ADD(s0, g0);
      q0 = ADD(q0, MUL(g0, SUB(LD(px), k0)));
    }
    store_f64(p1 + c, s0);
    store_f64(p2 + c, q0);
  }
  for (; c < C; c++) {
    float k = mu[c], s = 0.0f, q = 0.0f;
    const float* pg = g + r0 * C + c;
    const float* px = x + r0 * C + c;
    for (int r = r0; r < r1; r++, pg += C, px += C) {
      s += *pg;
      q += *pg * (*px - k);
    }
    p1[c] = s;
    p2[c] = q;
  }
}

/*
 * part[0][c] = sum_b part[b][c] for c in [cb, ce): the blocks added in order, in float64, in place
 * (row 0 ends as the total; blocks one by one keep the reads sequential).
 */
static inline void total_in_row0(double* part, int nblocks, int C, int cb, int ce) {
  for (int b = 1; b < nblocks; b++) {
    const double* row = part + b * C;
    for (int c = cb; c < ce; c++) part[c] += row[c];
  }
}

/*
 * Per-block partial sums of x - ctr (and their squares when `squares`) into part1 (part2)
 * [ceil(rows / br)][C] float64. Pass 1 gives ctr = x (its first row), pass 2 the centre.
 */
NL_EXPORT(bn_sums)(int thread, int threads, const float* x, int rows, int C, int br, const float* ctr,
                   int squares, double* part1, double* part2) {
  int nblocks = (rows + br - 1) / br;
  int last = nl_share_begin(nblocks, thread + 1, threads);
  for (int b = nl_share_begin(nblocks, thread, threads); b < last; b++) {
    sums_block(x, C, b * br, nl_min(rows, (b + 1) * br), ctr, squares, part1 + b * C, part2 + b * C);
  }
}

/* centre[c] = x[0][c] + S[c] / rows (float32), from pass 1's partials (summed in place). */
NL_EXPORT(bn_centre)(int thread, int threads, double* part1, int nblocks, int rows, int C, const float* x,
                     float* centre) {
  int begin = nl_share_begin(C, thread, threads);
  int end = nl_share_begin(C, thread + 1, threads);
  total_in_row0(part1, nblocks, C, begin, end);
  for (int c = begin; c < end; c++) centre[c] = (float)((double)x[c] + part1[c] / rows);
}

/*
 * From pass 2's partials about `centre` (summed in place): the batch mean and biased variance,
 * s = 1/sqrt(var + eps) (eps = *eps) and the scale k = gamma s of z = (x - mean) k + beta. z and the
 * backward pass use the mean as rounded to float32 (the mu_B the layer reports); the variance is
 * about the exact mean, and differs from the one about the rounded mean by less than their rounding.
 * A negative variance (round-off) is 0; NaN passes through.
 */
NL_EXPORT(bn_stats)(int thread, int threads, double* part1, double* part2, int nblocks, int rows, int C,
                    const float* centre, const float* gamma, const float* eps, float* mean, float* var, float* inv,
                    float* k) {
  int begin = nl_share_begin(C, thread, threads);
  int end = nl_share_begin(C, thread + 1, threads);
  total_in_row0(part1, nblocks, C, begin, end);
  total_in_row0(part2, nblocks, C, begin, end);
  for (int c = begin; c < end; c++) {
    double d = part1[c] / rows;
    double v = part2[c] / rows - d * d;
    if (v < 0.0) v = 0.0;
    double s = 1.0 / __builtin_sqrt(v + (double)*eps);
    mean[c] = (float)((double)centre[c] + d);
    var[c] = (float)v;
    inv[c] = (float)s;
    k[c] = (float)((double)gamma[c] * s);
  }
}

/*
 * Threads share rows; entry i = r C + c of out is EXPR(o) at offset o from i and c: 16 channels at a
 * time (4 independent vectors per step), then 4, then EXPR_S for the last C % 4 channels.
 */
#define ROWS_LOOP(EXPR, EXPR_S)                                              \
  int last = nl_share_begin(rows, thread + 1, threads);                      \
  for (int r = nl_share_begin(rows, thread, threads); r < last; r++) {       \
    int c = 0;                                                               \
    int i = r * C;                                                           \
    for (; c + 16 <= C; c += 16, i += 16) {                                  \
      v128_t o0 = EXPR(0), o1 = EXPR(4), o2 = EXPR(8), o3 = EXPR(12);        \
      wasm_v128_store(out + i, o0);                                          \
      wasm_v128_store(out + i + 4, o1);                                      \
      wasm_v128_store(out + i + 8, o2);                                      \
      wasm_v128_store(out + i + 12, o3);                                     \
    }                                                                        \
    for (; c + 4 <= C; c += 4, i += 4) wasm_v128_store(out + i, EXPR(0));    \
    for (; c < C; c++, i++) out[i] = EXPR_S;                                 \
  }

/* z = (x - mean) k + beta; threads share rows. */
NL_EXPORT(bn_affine)(int thread, int threads, const float* x, int rows, int C, const float* mean, const float* k,
                     const float* beta, float* out) {
#define Z(o) ADD(MUL(SUB(LD(x + i + o), LD(mean + c + o)), LD(k + c + o)), LD(beta + c + o))
  ROWS_LOOP(Z, (x[i] - mean[c]) * k[c] + beta[c])
#undef Z
}

/* Per-block partials of sum g (part1) and sum g (x - mean) (part2), as bn_sums. */
NL_EXPORT(bn_grad_sums)(int thread, int threads, const float* g, const float* x, int rows, int C, int br,
                        const float* mean, double* part1, double* part2) {
  int nblocks = (rows + br - 1) / br;
  int last = nl_share_begin(nblocks, thread + 1, threads);
  for (int b = nl_share_begin(nblocks, thread, threads); b < last; b++) {
    grad_sums_block(g, x, C, b * br, nl_min(rows, (b + 1) * br), mean, part1 + b * C, part2 + b * C);
  }
}

/* dBeta, dGamma and the coefficients a, b, c of dx = a g + b (x - mean) + c; threads share channels. */
NL_EXPORT(bn_grad_coeffs)(int thread, int threads, double* part1, double* part2, int nblocks, int rows, int C,
                          const float* gamma, const float* inv, float* dGamma, float* dBeta, float* a, float* b,
                          float* cc) {
  int begin = nl_share_begin(C, thread, threads);
  int end = nl_share_begin(C, thread + 1, threads);
  total_in_row0(part1, nblocks, C, begin, end);
  total_in_row0(part2, nblocks, C, begin, end);
  for (int c = begin; c < end; c++) {
    double sg = part1[c];
    double s = inv[c];
    double dg = s * part2[c];
    double ac = (double)gamma[c] * s;
    dBeta[c] = (float)sg;
    dGamma[c] = (float)dg;
    a[c] = (float)ac;
    b[c] = (float)(-ac * s * dg / rows);
    cc[c] = (float)(-ac * sg / rows);
  }
}

/* dx = a g + b (x - mean) + c; threads share rows. */
NL_EXPORT(bn_grad_apply)(int thread, int threads, const float* g, const float* x, int rows, int C,
                         const float* mean, const float* a, const float* b, const float* cc, float* out) {
#define DX(o) ADD(ADD(MUL(LD(a + c + o), LD(g + i + o)), MUL(LD(b + c + o), SUB(LD(x + i + o), LD(mean + c + o)))), \
                LD(cc + c + o))
  ROWS_LOOP(DX, a[c] * g[i] + b[c] * (x[i] - mean[c]) + cc[c])
#undef DX
}
