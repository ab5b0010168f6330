/*
 * The filter gradient of a NHWC convolution y = conv(x, W) (dilation 1):
 *
 *   dW[a, b, ci, co] = sum_{n, i, j} x[n, i s_h + a - p_top, j s_w + b - p_left, ci] dy[n, i, j, co]
 *
 * (x read as 0 outside its bounds), computed as one GEMM C = A^T B with
 *   M = k_h k_w Ci rows t = (a, b, ci)  (dW flattened is C[M][Co]),
 *   K = N Ho Wo rows p = (n, i, j),      B[p][co] = dy (as stored),
 *   A[p][t] = the im2col of x, never built: each K block's panel of 4 rows of A^T is packed
 *   straight from x.
 * Goto-style blocking: per block of Kc pixels, B's block is packed into 8-column panels
 * [Co/8][Kc][8] (Kc Co floats: within L2 for Kc = 256, Co = 512), then for each 4-row panel of A^T
 * (packed [Kc][4], in L1) a 4x8 micro-kernel accumulates the block's partial product in 8 SIMD
 * registers and adds it into C. The reduction of every element is therefore: blocks in order, each
 * summed in pixel order, so the result does not depend on how rows are shared among threads
 * (threads take contiguous ranges of 4-row panels; each packs the B block for itself).
 */
#include "gemm4x8.h"

/* B's block: rows p = k0 .. k0 + kc of dy [K][co] into panels [npad / 8][kc][8], zero-padded. */
static void pack_b(const float* dy, int co, int npad, int k0, int kc, float* bp) {
  for (int j0 = 0; j0 < npad; j0 += NR) {
    float* dst = bp + j0 * kc;
    const float* src = dy + k0 * co + j0;
    if (j0 + NR <= co) {
      for (int k = 0; k < kc; k++, src += co, dst += NR) {
        wasm_v128_store(dst, wasm_v128_load(src));
        wasm_v128_store(dst + 4, wasm_v128_load(src + 4));
      }
    } else {
      int w = co - j0;
      for (int k = 0; k < kc; k++, src += co, dst += NR) {
        for (int q = 0; q < NR; q++) dst[q] = q < w ? src[q] : 0.0f;
      }
    }
  }
}

/*
 * A^T's panel of rows t0 .. t0 + 3 for pixels k0 .. k0 + kc, as [kc][4]. Rows past M are zero.
 * When Ci is a multiple of 4 the four rows are four consecutive channels of one tap: one 16-byte
 * load per pixel; otherwise each row has its own tap.
 */
static void pack_a(const float* x, int h, int w, int ci, int ho, int wo, int kw, int sh, int sw, int pt,
                   int pl, int m, int t0, int k0, int kc, float* ap) {
  /* (n, i, j) of pixel k0. */
  int j = k0 % wo;
  int i = (k0 / wo) % ho;
  int n = k0 / (wo * ho);
  if (ci % 4 == 0) {
    int c0 = t0 % ci;
    int tap = t0 / ci;
    int a = tap / kw;
    int b = tap % kw;
    for (int k = 0; k < kc; k++, ap += MR) {
      int row = i * sh + a - pt;
      int col = j * sw + b - pl;
      if (row >= 0 && row < h && col >= 0 && col < w) {
        wasm_v128_store(ap, wasm_v128_load(x + ((n * h + row) * w + col) * ci + c0));
      } else {
        wasm_v128_store(ap, wasm_f32x4_splat(0.0f));
      }
      if (++j == wo) {
        j = 0;
        if (++i == ho) {
          i = 0;
          n++;
        }
      }
    }
    return;
  }
  /* One tap per row: (a_r, b_r, c_r) for r = 0..3; rows past M get c_r = -1 (zero). */
#define TAP(r)                                      \
  int c##r = -1, a##r = 0, b##r = 0;                \
  if (t0 + r < m) {                                 \
    c##r = (t0 + r) % ci;                           \
    a##r = ((t0 + r) / ci) / kw;                    \
    b##r = ((t0 + r) / ci) % kw;                    \
  }
  TAP(0)
  TAP(1)
  TAP(2)
  TAP(3)
#undef TAP
  for (int k = 0; k < kc; k++, ap += MR) {
    int r0 = i * sh - pt;
    int q0 = j * sw - pl;
    const float* img = x + n * h * w * ci;
#define GET(r)                                                                              \
  {                                                                                         \
    int row = r0 + a##r;                                                                    \
    int col = q0 + b##r;                                                                    \
    ap[r] = (c##r >= 0 && row >= 0 && row < h && col >= 0 && col < w) ? img[(row * w + col) * ci + c##r] \
                                                                    : 0.0f;                 \
  }
    GET(0)
    GET(1)
    GET(2)
    GET(3)
#undef GET
    if (++j == wo) {
      j = 0;
      if (++i == ho) {
        i = 0;
        n++;
      }
    }
  }
}

/*
 * dw [kh kw ci][co] from x [n][h][w][ci] and dy [n][ho][wo][co]. Scratch: per thread
 * kc * (npad + 4) + 32 floats at scratch + thread * that (npad = co rounded up to 8).
 */
NL_EXPORT(filter_grad)(int thread, int threads, const float* x, const float* dy, float* dw, int n, int h,
                       int w, int ci, int ho, int wo, int co, int kh, int kw, int sh, int sw, int pt, int pl,
                       int kcMax, float* scratch) {
  int m = kh * kw * ci;
  int npad = (co + NR - 1) / NR * NR;
  int panels = (m + MR - 1) / MR;
  int first = nl_share_begin(panels, thread, threads);
  int last = nl_share_begin(panels, thread + 1, threads);
  if (first == last) return;
  float* bp = scratch + thread * (kcMax * (npad + MR) + MR * NR);
  float* ap = bp + kcMax * npad;
  float* tile = ap + kcMax * MR;
  int rowFirst = first * MR;
  int rowEnd = nl_min(last * MR, m);
  for (int e = rowFirst * co; e < rowEnd * co; e++) dw[e] = 0.0f;
  int pixels = n * ho * wo;
  for (int k0 = 0; k0 < pixels; k0 += kcMax) {
    int kc = nl_min(kcMax, pixels - k0);
    pack_b(dy, co, npad, k0, kc, bp);
    for (int panel = first; panel < last; panel++) {
      int t0 = panel * MR;
      int rows = nl_min(MR, m - t0);
      pack_a(x, h, w, ci, ho, wo, kw, sh, sw, pt, pl, m, t0, k0, kc, ap);
      for (int j0 = 0; j0 < npad; j0 += NR) {
        if (j0 + NR <= co) {
          micro(kc, ap, bp + j0 * kc, dw + t0 * co + j0, co, rows);
        } else {
          micro_partial(kc, ap, bp + j0 * kc, dw + t0 * co + j0, co, rows, co - j0, tile);
        }
      }
    }
  }
}
