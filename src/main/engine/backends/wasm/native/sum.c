/*
 * Column sums of x [rows][C] (tfjs Sum over the leading axes: the bias gradient sum_{n,i,j} dy),
 * accumulated in float64 as the JS loop it replaces did: each float32 lane is promoted and added to
 * a float64 accumulator, so the only rounding beyond float64's is the final one to float32.
 *
 * Deterministic on any thread count: rows are cut into blocks of `br` rows (the caller picks br from
 * C alone); the first call sums each block into part[block][C] (threads share blocks), the second
 * adds the blocks per channel in block order (threads share channels).
 */
#include "normlab.h"

#define LD(p) wasm_v128_load(p)
#define LO(v) wasm_f64x2_promote_low_f32x4(v)
#define HI(v) wasm_f64x2_promote_low_f32x4(wasm_i32x4_shuffle(v, v, 2, 3, 2, 3))
#define ADD wasm_f64x2_add

/* part[c] = sum of rows [r0, r1) of channel c: 8 channels at a time (4 float64 chains), then 1. */
static inline void block_sums(const float* x, int C, int r0, int r1, double* part) {
  int c = 0;
  for (; c + 8 <= C; c += 8) {
    v128_t z = wasm_f64x2_splat(0.0);
    v128_t s0 = z, s1 = z, s2 = z, s3 = z;
    const float* p = x + r0 * C + c;
    for (int r = r0; r < r1; r++, p += C) {
      v128_t a = LD(p), b = LD(p + 4);
      s0 = ADD(s0, LO(a));
      s1 = ADD(s1, HI(a));
      s2 = ADD(s2, LO(b));
      s3 = ADD(s3, HI(b));
    }
    wasm_v128_store(part + c, s0);
    wasm_v128_store(part + c + 2, s1);
    wasm_v128_store(part + c + 4, s2);
    wasm_v128_store(part + c + 6, s3);
  }
  for (; c < C; c++) {
    double s = 0.0;
    const float* p = x + r0 * C + c;
    for (int r = r0; r < r1; r++, p += C) s += *p;
    part[c] = s;
  }
}

/* part [ceil(rows / br)][C] float64: each block's column sums. */
NL_EXPORT(column_block_sums)(int thread, int threads, const float* x, int rows, int C, int br, double* part) {
  int nblocks = (rows + br - 1) / br;
  int last = nl_share_begin(nblocks, thread + 1, threads);
  for (int b = nl_share_begin(nblocks, thread, threads); b < last; b++) {
    block_sums(x, C, b * br, nl_min(rows, (b + 1) * br), part + b * C);
  }
}

/*
 * out[c] = sum_b part[b][c], the blocks added in order (in place into part's row 0, one block after
 * another: sequential reads), rounded once to float32.
 */
NL_EXPORT(column_total)(int thread, int threads, double* part, int nblocks, int C, float* out) {
  int begin = nl_share_begin(C, thread, threads);
  int end = nl_share_begin(C, thread + 1, threads);
  for (int b = 1; b < nblocks; b++) {
    const double* row = part + b * C;
    for (int c = begin; c < end; c++) part[c] += row[c];
  }
  for (int c = begin; c < end; c++) out[c] = (float)part[c];
}
