/*
 * The input gradient of y = maxPool(x) (NHWC, dilation 1), with the cpu backend's semantics:
 *
 *   dx[n, r, q, c] = sum over windows (i, j) whose first maximum sits at (r, q) of dy[n, i, j, c]
 *
 * "first maximum": the first position, row-major within the window and skipping its padding, at which
 * x equals the window's max, where the max is taken with `>` from -Infinity (the cpu backend's
 * maxPoolPositions): NaN never wins, and a window of only -Infinity and NaN sends its gradient nowhere.
 * The sum runs over windows in row-major order, in double precision, rounded to float32 once, as the
 * cpu backend's dotProd does (it matters only where 3 or more windows overlap on an element).
 *
 * The max is read from y instead of rescanning x: per window and 4 channels, one pass compares each
 * position with y (first match wins; 2x2 windows, vgg's, unrolled). XNNPACK's forward max is not the
 * cpu's when the window holds a NaN (it may drop a larger value), so the same pass flags NaN lanes and
 * such a window is redone with the max rescanned by `>`; where the caller knows y to be wrong
 * (`rescan`), every window is.
 *
 * Two paths:
 * - windows do not overlap (stride >= filter in both directions): each element is in at most one
 *   window, so each window writes its elements of dx directly (0 + dy at the first maximum, as the
 *   cpu's sum from 0 gives: +0 for a -0 gradient; 0 elsewhere); elements outside every window are
 *   zeroed first unless the windows tile x exactly;
 * - they overlap: pass A stores each window's first-maximum position (0 .. fh fw - 1, or -1) per
 *   channel in the thread's scratch, pass B gathers for each element the windows that contain it.
 *
 * Work is split by (image, block of channels), blocks a multiple of 4 wide; every element of dx is
 * computed by one thread with the same operations whatever the split, so results are bit-identical on
 * any thread count.
 */
#include "normlab.h"

/* Lanes [0, k) of p (k = 1..4), the others 0. */
static inline v128_t ld(const float* p, int k) {
  if (k == 4) return wasm_v128_load(p);
  return wasm_f32x4_make(p[0], k > 1 ? p[1] : 0.0f, k > 2 ? p[2] : 0.0f, 0.0f);
}

/* Stores lanes [0, k) of v at p. */
static inline void st(float* p, v128_t v, int k) {
  if (k == 4) {
    wasm_v128_store(p, v);
    return;
  }
  wasm_v128_store32_lane(p, v, 0);
  if (k > 1) wasm_v128_store32_lane(p + 1, v, 1);
  if (k > 2) wasm_v128_store32_lane(p + 2, v, 2);
}

/* The window's max by `>` from -Infinity over rows [r0, r1) x columns [q0, q1) (NaN never wins). */
static inline v128_t rescan_max(const float* xc, int w, int ch, int r0, int r1, int q0, int q1, int k) {
  v128_t m = wasm_f32x4_splat(-__builtin_inff());
  for (int r = r0; r < r1; r++) {
    for (int q = q0; q < q1; q++) {
      v128_t xv = ld(xc + (r * w + q) * ch, k);
      m = wasm_v128_bitselect(xv, m, wasm_f32x4_gt(xv, m));
    }
  }
  return m;
}

/* Lanes with no maximum: max <= -Infinity, or NaN. */
static inline v128_t no_max(v128_t m) {
  return wasm_v128_not(wasm_f32x4_gt(m, wasm_f32x4_splat(-__builtin_inff())));
}

/*
 * Direct path, one window and k channels: xc/dxc point at channel c of the image, the window covers
 * rows [r0, r1) x columns [q0, q1) of it. Writes 0 + dy at each lane's first maximum, 0 elsewhere.
 */
static inline __attribute__((always_inline)) void direct_window(const float* xc, float* dxc, v128_t yv,
                                                                v128_t dyv, int w, int ch, int r0, int r1,
                                                                int q0, int q1, int k) {
  const v128_t zero = wasm_f32x4_splat(0.0f);
  v128_t taken = no_max(yv);
  v128_t nan = wasm_i32x4_splat(0);
  for (int r = r0; r < r1; r++) {
    for (int q = q0; q < q1; q++) {
      int o = (r * w + q) * ch;
      v128_t xv = ld(xc + o, k);
      v128_t e = wasm_v128_andnot(wasm_f32x4_eq(xv, yv), taken);
      taken = wasm_v128_or(taken, e);
      nan = wasm_v128_or(nan, wasm_f32x4_ne(xv, xv));
      st(dxc + o, wasm_f32x4_add(zero, wasm_v128_and(dyv, e)), k);
    }
  }
  if (!wasm_v128_any_true(nan)) return;
  v128_t m = rescan_max(xc, w, ch, r0, r1, q0, q1, k);
  taken = no_max(m);
  for (int r = r0; r < r1; r++) {
    for (int q = q0; q < q1; q++) {
      int o = (r * w + q) * ch;
      v128_t e = wasm_v128_andnot(wasm_f32x4_eq(ld(xc + o, k), m), taken);
      taken = wasm_v128_or(taken, e);
      st(dxc + o, wasm_f32x4_add(zero, wasm_v128_and(dyv, e)), k);
    }
  }
}

/*
 * direct_window for a 2x2 window inside x, 4 channels, with the positions unrolled (the generic loop
 * runs about 3x slower): p0/p1 and d0/d1 point at the window's two rows in x and dx, `ch` apart
 * within a row.
 */
static inline __attribute__((always_inline)) void direct_2x2(const float* p0, const float* p1, float* d0,
                                                             float* d1, v128_t yv, v128_t dyv, int w, int ch) {
  v128_t x00 = wasm_v128_load(p0);
  v128_t x01 = wasm_v128_load(p0 + ch);
  v128_t x10 = wasm_v128_load(p1);
  v128_t x11 = wasm_v128_load(p1 + ch);
  v128_t nan = wasm_v128_or(wasm_v128_or(wasm_f32x4_ne(x00, x00), wasm_f32x4_ne(x01, x01)),
                            wasm_v128_or(wasm_f32x4_ne(x10, x10), wasm_f32x4_ne(x11, x11)));
  if (wasm_v128_any_true(nan)) {
    /* Rows r0 = 0, r1 = 2 and columns q0 = 0, q1 = 2 of the image whose row 0 starts at p0. */
    direct_window(p0, d0, yv, dyv, w, ch, 0, 2, 0, 2, 4);
    return;
  }
  v128_t g = wasm_f32x4_add(wasm_f32x4_splat(0.0f), dyv);
  v128_t taken = no_max(yv);
  v128_t e00 = wasm_v128_andnot(wasm_f32x4_eq(x00, yv), taken);
  taken = wasm_v128_or(taken, e00);
  v128_t e01 = wasm_v128_andnot(wasm_f32x4_eq(x01, yv), taken);
  taken = wasm_v128_or(taken, e01);
  v128_t e10 = wasm_v128_andnot(wasm_f32x4_eq(x10, yv), taken);
  taken = wasm_v128_or(taken, e10);
  v128_t e11 = wasm_v128_andnot(wasm_f32x4_eq(x11, yv), taken);
  wasm_v128_store(d0, wasm_v128_and(g, e00));
  wasm_v128_store(d0 + ch, wasm_v128_and(g, e01));
  wasm_v128_store(d1, wasm_v128_and(g, e10));
  wasm_v128_store(d1 + ch, wasm_v128_and(g, e11));
}

/*
 * Pass A, one window and k channels: the first maximum's position (a - a0) fw + (b - b0) within the
 * full window whose top-left is (a0, b0) (negative where the window starts in the padding), or -1.
 */
static inline __attribute__((always_inline)) v128_t first_max(const float* xc, v128_t yv, int w, int ch,
                                                              int fw, int a0, int b0, int r0, int r1,
                                                              int q0, int q1, int k) {
  v128_t at = wasm_i32x4_splat(-1);
  v128_t taken = no_max(yv);
  v128_t nan = wasm_i32x4_splat(0);
  for (int r = r0; r < r1; r++) {
    for (int q = q0; q < q1; q++) {
      v128_t xv = ld(xc + (r * w + q) * ch, k);
      v128_t e = wasm_v128_andnot(wasm_f32x4_eq(xv, yv), taken);
      taken = wasm_v128_or(taken, e);
      nan = wasm_v128_or(nan, wasm_f32x4_ne(xv, xv));
      at = wasm_v128_bitselect(wasm_i32x4_splat((r - a0) * fw + (q - b0)), at, e);
    }
  }
  if (!wasm_v128_any_true(nan)) return at;
  v128_t m = rescan_max(xc, w, ch, r0, r1, q0, q1, k);
  at = wasm_i32x4_splat(-1);
  taken = no_max(m);
  for (int r = r0; r < r1; r++) {
    for (int q = q0; q < q1; q++) {
      v128_t e = wasm_v128_andnot(wasm_f32x4_eq(ld(xc + (r * w + q) * ch, k), m), taken);
      taken = wasm_v128_or(taken, e);
      at = wasm_v128_bitselect(wasm_i32x4_splat((r - a0) * fw + (q - b0)), at, e);
    }
  }
  return at;
}

/*
 * Pass B, one element (r, q) and k channels: the double-precision sum, over the windows (i, j) in
 * [i0, i1] x [j0, j1] in row-major order, of dy where the window's first maximum is (r, q).
 */
static inline __attribute__((always_inline)) v128_t gather(const int* atc, const float* dyc, int wo, int ch,
                                                           int cs, int fw, int sh, int sw, int ra, int qb,
                                                           int i0, int i1, int j0, int j1, int k) {
  v128_t lo = wasm_f64x2_splat(0.0);
  v128_t hi = wasm_f64x2_splat(0.0);
  for (int i = i0; i <= i1; i++) {
    for (int j = j0; j <= j1; j++) {
      v128_t pos = wasm_i32x4_splat((ra - i * sh) * fw + (qb - j * sw));
      v128_t e = wasm_i32x4_eq(wasm_v128_load(atc + (i * wo + j) * cs), pos);
      v128_t g = wasm_v128_and(ld(dyc + (i * wo + j) * ch, k), e);
      lo = wasm_f64x2_add(lo, wasm_f64x2_promote_low_f32x4(g));
      hi = wasm_f64x2_add(hi, wasm_f64x2_promote_low_f32x4(wasm_i32x4_shuffle(g, g, 2, 3, 0, 1)));
    }
  }
  return wasm_i32x4_shuffle(wasm_f32x4_demote_f64x2_zero(lo), wasm_f32x4_demote_f64x2_zero(hi), 0, 1, 4, 5);
}

/* In max_pool_grad: the max of the window at output offset o, channels c .. c + k (y's unless `rescan`). */
#define WINDOW_MAX(k) (rescan ? rescan_max(xc + c, w, ch, r0, r1, q0, q1, k) : ld(yc + o + c, k))

/*
 * dx [n][h][w][ch] from x, y = maxPool(x) [n][ho][wo][ch] and dy (as y). Windows: fh x fw, strides
 * (sh, sw), top-left of window (i, j) at (i sh - pt, j sw - pl). Work units: image x `cblocks` blocks
 * of channels. Scratch (overlapping windows only): per thread ho wo bw ints at scratch + thread * that,
 * bw = the block width (ceil(ceil(ch / 4) / cblocks) * 4). rescan != 0: y is not read, every window's
 * max is rescanned from x.
 */
NL_EXPORT(max_pool_grad)(int thread, int threads, const float* x, const float* y, const float* dy, float* dx,
                         int n, int h, int w, int ch, int ho, int wo, int fh, int fw, int sh, int sw, int pt,
                         int pl, int cblocks, int rescan, int* scratch) {
  int vecs = (ch + 3) / 4;
  int bv = (vecs + cblocks - 1) / cblocks;
  int units = n * cblocks;
  int uFirst = nl_share_begin(units, thread, threads);
  int uLast = nl_share_begin(units, thread + 1, threads);
  int overlap = sh < fh || sw < fw;
  int tiled = !overlap && sh == fh && sw == fw && pt == 0 && pl == 0 && ho * fh == h && wo * fw == w;
  for (int u = uFirst; u < uLast; u++) {
    int img = u / cblocks;
    int c0 = (u % cblocks) * bv * 4;
    int c1 = nl_min(c0 + bv * 4, ch);
    if (c0 >= c1) continue;
    const float* xc = x + img * h * w * ch + c0;
    const float* yc = y + img * ho * wo * ch + c0;
    const float* dyc = dy + img * ho * wo * ch + c0;
    float* dxc = dx + img * h * w * ch + c0;
    if (!overlap) {
      if (!tiled) {
        for (int p = 0; p < h * w; p++) {
          for (int c = 0; c < c1 - c0; c++) dxc[p * ch + c] = 0.0f;
        }
      }
      for (int i = 0; i < ho; i++) {
        int r0 = nl_max(i * sh - pt, 0);
        int r1 = nl_min(i * sh - pt + fh, h);
        for (int j = 0; j < wo; j++) {
          int q0 = nl_max(j * sw - pl, 0);
          int q1 = nl_min(j * sw - pl + fw, w);
          int o = (i * wo + j) * ch;
          int c = 0;
          if (!rescan && fh == 2 && fw == 2 && r1 - r0 == 2 && q1 - q0 == 2) {
            const float* p0 = xc + (r0 * w + q0) * ch;
            float* d0 = dxc + (r0 * w + q0) * ch;
            for (; c + 4 <= c1 - c0; c += 4) {
              direct_2x2(p0 + c, p0 + w * ch + c, d0 + c, d0 + w * ch + c, wasm_v128_load(yc + o + c),
                         wasm_v128_load(dyc + o + c), w, ch);
            }
          }
          for (; c + 4 <= c1 - c0; c += 4) {
            direct_window(xc + c, dxc + c, WINDOW_MAX(4), wasm_v128_load(dyc + o + c), w, ch, r0, r1, q0, q1, 4);
          }
          if (c < c1 - c0) {
            int k = c1 - c0 - c;
            direct_window(xc + c, dxc + c, WINDOW_MAX(k), ld(dyc + o + c, k), w, ch, r0, r1, q0, q1, k);
          }
        }
      }
      continue;
    }
    /* Pass A: first maxima, [ho][wo][cs] with cs = the block's width rounded up to 4. */
    int* at = scratch + thread * ho * wo * bv * 4;
    int cs = (c1 - c0 + 3) / 4 * 4;
    for (int i = 0; i < ho; i++) {
      int a0 = i * sh - pt;
      int r0 = nl_max(a0, 0);
      int r1 = nl_min(a0 + fh, h);
      for (int j = 0; j < wo; j++) {
        int b0 = j * sw - pl;
        int q0 = nl_max(b0, 0);
        int q1 = nl_min(b0 + fw, w);
        int o = (i * wo + j) * ch;
        int* dst = at + (i * wo + j) * cs;
        int c = 0;
        for (; c + 4 <= c1 - c0; c += 4) {
          wasm_v128_store(dst + c,
                          first_max(xc + c, WINDOW_MAX(4), w, ch, fw, a0, b0, r0, r1, q0, q1, 4));
        }
        if (c < c1 - c0) {
          int k = c1 - c0 - c;
          wasm_v128_store(dst + c, first_max(xc + c, WINDOW_MAX(k), w, ch, fw, a0, b0, r0, r1, q0, q1, k));
        }
      }
    }
    /* Pass B: element (r, q) is in windows i with i sh - pt <= r < i sh - pt + fh, i.e.
     * ceil((r + pt - fh + 1) / sh) <= i <= floor((r + pt) / sh), within [0, ho); same for j. */
    for (int r = 0; r < h; r++) {
      int ra = r + pt;
      int i0 = ra - fh + 1 <= 0 ? 0 : (ra - fh + sh) / sh;
      int i1 = nl_min(ra / sh, ho - 1);
      for (int q = 0; q < w; q++) {
        int qb = q + pl;
        int j0 = qb - fw + 1 <= 0 ? 0 : (qb - fw + sw) / sw;
        int j1 = nl_min(qb / sw, wo - 1);
        float* d = dxc + (r * w + q) * ch;
        int c = 0;
        for (; c + 4 <= c1 - c0; c += 4) {
          wasm_v128_store(d + c, gather(at + c, dyc + c, wo, ch, cs, fw, sh, sw, ra, qb, i0, i1, j0, j1, 4));
        }
        if (c < c1 - c0) {
          int k = c1 - c0 - c;
          st(d + c, gather(at + c, dyc + c, wo, ch, cs, fw, sh, sw, ra, qb, i0, i1, j0, j1, k), k);
        }
      }
    }
  }
}
