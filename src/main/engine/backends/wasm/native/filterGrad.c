/*
 * The filter gradient of a NHWC convolution y = conv(x, W) (dilation 1):
 *
 *   dW[a, b, ci, co] = sum_{n, i, j} x[n, i s_h + a - p_top, j s_w + b - p_left, ci] dy[n, i, j, co]
 *
 * (x read as 0 outside its bounds), computed as one GEMM C = A^T B with
 *   M = k_h k_w Ci rows t = (a, b, ci)  (dW flattened is C[M][Co]),
 *   K = N Ho Wo rows p = (n, i, j),      B[p][co] = dy (as stored),
 *   A[p][t] = the im2col of x, never built whole: each K block's panel of 4 rows of A^T is packed
 *   straight from x (with Ci not a multiple of 4, the block's rows of all the thread's panels at
 *   once, a tap at a time: pack_taps).
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
 * Ci a multiple of 4: A^T's panel of rows t0 .. t0 + 3 for pixels k0 .. k0 + kc, as [kc][4]. The
 * four rows are four consecutive channels of one tap: one 16-byte load per pixel.
 */
static void pack_a(const float* x, int h, int w, int ci, int ho, int wo, int kw, int sh, int sw, int pt,
                   int pl, int t0, int k0, int kc, float* ap) {
  /* (n, i, j) of pixel k0. */
  int j = k0 % wo;
  int i = (k0 / wo) % ho;
  int n = k0 / (wo * ho);
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
}

/*
 * Ci not a multiple of 4 (the 3-channel first layer): the im2col rows of pixels k0 .. k0 + kc for
 * the kernel rows aFirst .. aEnd, once for all of the thread's panels, each pixel a row of lda floats
 * with row t = (a kw + b) Ci + c at offset t (the micro-kernel reads a panel at ap + t0, stride lda).
 * One kernel row's kw taps are kw Ci consecutive floats both in x and here, so where all its columns
 * lie inside x it is ceil(kw Ci / 4) 16-byte loads and stores: a float at a time per row of A cost
 * as much as the GEMM itself. Kernel rows are stored in ascending order: the lanes a store writes
 * past its row are overwritten by the next row's, or lie past row m, where no stored row of C reads
 * (lda >= m + 3 leaves room). Zero outside x; a kernel row partly outside x, or whose loads would
 * read past x's end (x_len floats), is copied a float at a time.
 */
static void pack_taps(const float* x, int x_len, int h, int w, int ci, int ho, int wo, int kw, int sh,
                      int sw, int pt, int pl, int aFirst, int aEnd, int k0, int kc, int lda, float* ap) {
  int j = k0 % wo;
  int i = (k0 / wo) % ho;
  int n = k0 / (wo * ho);
  int span = kw * ci;
  v128_t zero = wasm_f32x4_splat(0.0f);
  for (int k = 0; k < kc; k++, ap += lda) {
    int r0 = i * sh - pt;
    int q0 = j * sw - pl;
    int image = n * h * w * ci;
    for (int a = aFirst; a < aEnd; a++) {
      float* dst = ap + a * span;
      int row = r0 + a;
      if (row < 0 || row >= h) {
        for (int e = 0; e < span; e += 4) wasm_v128_store(dst + e, zero);
        continue;
      }
      int off = image + (row * w + q0) * ci;
      if (q0 >= 0 && q0 + kw <= w && off + (span + 3) / 4 * 4 <= x_len) {
        for (int e = 0; e < span; e += 4) wasm_v128_store(dst + e, wasm_v128_load(x + off + e));
        continue;
      }
      for (int b = 0; b < kw; b++) {
        int col = q0 + b;
        int inside = col >= 0 && col < w;
        for (int c = 0; c < ci; c++) dst[b * ci + c] = inside ? x[off + b * ci + c] : 0.0f;
      }
    }
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
 * kc * (npad + lda) + 32 floats at scratch + thread * that (npad = co rounded up to 8; lda = 4 when
 * ci is a multiple of 4, else m + 3 rounded up to 4, m = kh kw ci).
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
  int byTap = ci % 4 != 0;
  int lda = byTap ? (m + 6) / 4 * 4 : MR;
  float* bp = scratch + thread * (kcMax * (npad + lda) + MR * NR);
  float* ap = bp + kcMax * npad;
  float* tile = ap + kcMax * lda;
  int rowFirst = first * MR;
  int rowEnd = nl_min(last * MR, m);
  for (int e = rowFirst * co; e < rowEnd * co; e++) dw[e] = 0.0f;
  int pixels = n * ho * wo;
  for (int k0 = 0; k0 < pixels; k0 += kcMax) {
    int kc = nl_min(kcMax, pixels - k0);
    pack_b(dy, co, npad, k0, kc, bp);
    if (byTap) {
      /* The kernel rows a = t / (kw Ci) that hold rows rowFirst .. rowEnd of A^T. */
      pack_taps(x, n * h * w * ci, h, w, ci, ho, wo, kw, sh, sw, pt, pl, rowFirst / (kw * ci),
                (rowEnd + kw * ci - 1) / (kw * ci), k0, kc, lda, ap);
    }
    for (int panel = first; panel < last; panel++) {
      int t0 = panel * MR;
      int rows = nl_min(MR, m - t0);
      const float* a = ap + t0;
      if (!byTap) {
        pack_a(x, h, w, ci, ho, wo, kw, sh, sw, pt, pl, t0, k0, kc, ap);
        a = ap;
      }
      for (int j0 = 0; j0 < npad; j0 += NR) {
        if (j0 + NR <= co) {
          micro_lda(kc, a, lda, bp + j0 * kc, dw + t0 * co + j0, co, rows);
        } else {
          micro_partial_lda(kc, a, lda, bp + j0 * kc, dw + t0 * co + j0, co, rows, co - j0, tile);
        }
      }
    }
  }
}
