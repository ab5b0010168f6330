/*
 * The GEMM micro-kernel NormLab's convolution kernels share: a 4x8 tile of C accumulated over a
 * packed block of the reduction (A as [kc][4], B as [kc][8]), then added into C.
 */
#ifndef NORMLAB_GEMM4X8_H
#define NORMLAB_GEMM4X8_H
#include "normlab.h"

#define MR 4
#define NR 8

/*
 * c[0..rows)[0..8) += ap^T bp over kc pixels (c row stride ldc; A's pixels lda floats apart).
 * 4x8 is the tile that runs fastest under V8 here (measured against 6x8, 4x16, 8x8, 3x16 and
 * unrolled variants: 54-57 GFLOP/s against 31-44): its 8 accumulators, 2 B vectors and the
 * broadcast A value fit x86's 16 vector registers.
 */
static inline void micro_lda(int kc, const float* ap, int lda, const float* bp, float* c, int ldc,
                             int rows) {
  v128_t z = wasm_f32x4_splat(0.0f);
  v128_t c00 = z, c01 = z, c10 = z, c11 = z, c20 = z, c21 = z, c30 = z, c31 = z;
  for (int k = 0; k < kc; k++, ap += lda, bp += NR) {
    v128_t b0 = wasm_v128_load(bp);
    v128_t b1 = wasm_v128_load(bp + 4);
    v128_t a;
#define ROW(r)                                             \
  a = wasm_v128_load32_splat(ap + r);                      \
  c##r##0 = wasm_f32x4_add(c##r##0, wasm_f32x4_mul(a, b0)); \
  c##r##1 = wasm_f32x4_add(c##r##1, wasm_f32x4_mul(a, b1));
    ROW(0)
    ROW(1)
    ROW(2)
    ROW(3)
#undef ROW
  }
#define STORE(r)                                                              \
  if (r < rows) {                                                             \
    float* row = c + r * ldc;                                                 \
    wasm_v128_store(row, wasm_f32x4_add(wasm_v128_load(row), c##r##0));       \
    wasm_v128_store(row + 4, wasm_f32x4_add(wasm_v128_load(row + 4), c##r##1)); \
  }
  STORE(0)
  STORE(1)
  STORE(2)
  STORE(3)
#undef STORE
}

/* A packed as [kc][4]. */
static inline void micro(int kc, const float* ap, const float* bp, float* c, int ldc, int rows) {
  micro_lda(kc, ap, MR, bp, c, ldc, rows);
}

/*
 * The tile through a zeroed scratch tile, for a last panel narrower than 8 columns (cols < 8); A's
 * rows lda floats apart.
 */
static inline void micro_partial_lda(int kc, const float* ap, int lda, const float* bp, float* c, int ldc,
                                     int rows, int cols, float* tile) {
  for (int q = 0; q < MR * NR; q++) tile[q] = 0.0f;
  micro_lda(kc, ap, lda, bp, tile, NR, rows);
  for (int r = 0; r < rows; r++) {
    for (int q = 0; q < cols; q++) c[r * ldc + q] += tile[r * NR + q];
  }
}

static inline void micro_partial(int kc, const float* ap, const float* bp, float* c, int ldc, int rows,
                                 int cols, float* tile) {
  micro_partial_lda(kc, ap, MR, bp, c, ldc, rows, cols, tile);
}

#endif
