/*
 * A convolution as an implicit GEMM, for both directions NormLab needs:
 *
 *   out[p][j] = sum_{a, b, c} in[src(p, a, b)][c] B[(a, b, c)][j]
 *
 * with M = N Ho Wo output pixels p = (n, i, j), K = kh kw Cin rows k = (a, b, c), N = the output
 * channels, and src(p, a, b) the input pixel tap (a, b) of output pixel p reads (0 where there is
 * none):
 * - mode 0, the forward convolution y = conv(x, W), stride s, pads (p_top, p_left):
 *     src row = i s_h + a - p_top      (likewise for columns),
 *   B[k][j] = W[a, b, c, j];
 * - mode 1, the input gradient dx = conv^T(dy, W) of that convolution (p runs over dx's pixels, `in`
 *   is dy): dx[r] = sum_{o, a : o s + a - p_top = r} dy[o] W[a], so
 *     src row = (r + p_top - a) / s_h   when that divides exactly and lands inside dy,
 *   B[k][j] = W[a, b, j, c]  (c over dy's channels, j over dx's): no flipped or transposed filter and
 *   no dilated or padded dy is ever built.
 * B(a, b, c, j) = w[(a kw + b) tapStride + c cStride + j jStride] covers both.
 *
 * Blocking as in filterGrad.c: per block of Kc rows of the reduction, B's block is packed into
 * 8-column panels (L2), then for each panel of 4 output pixels A's block is packed as [Kc][4] (L1)
 * and the 4x8 micro-kernel runs across the columns. Threads take contiguous ranges of pixel panels
 * and each packs B for itself, so every output element is summed in the same order on any thread
 * count.
 */
#include "gemm4x8.h"

/* B's block, rows k0 .. k0 + kc of the reduction, as panels [npad / 8][kc][8], zero-padded. */
static void pack_b(const float* w, int cin, int nout, int npad, int tapStride, int cStride, int jStride,
                   int k0, int kc, float* bp) {
  for (int j0 = 0; j0 < npad; j0 += NR) {
    float* dst = bp + j0 * kc;
    int cols = nl_min(NR, nout - j0);
    int tap = k0 / cin;
    int c = k0 % cin;
    for (int k = 0; k < kc; k++, dst += NR) {
      const float* src = w + tap * tapStride + c * cStride + j0 * jStride;
      if (jStride == 1 && cols == NR) {
        wasm_v128_store(dst, wasm_v128_load(src));
        wasm_v128_store(dst + 4, wasm_v128_load(src + 4));
      } else {
        for (int q = 0; q < NR; q++) dst[q] = q < cols ? src[q * jStride] : 0.0f;
      }
      if (++c == cin) {
        c = 0;
        tap++;
      }
    }
  }
}

/*
 * The input pixel (as an offset into `in`, in floats) that tap (a, b) of output pixel (n, i, j)
 * reads, or -1 where it reads zero.
 */
static inline int source(int mode, int n, int i, int j, int a, int b, int hi, int wi, int cin, int sh, int sw,
                         int pt, int pl) {
  int row, col;
  if (mode == 0) {
    row = i * sh + a - pt;
    col = j * sw + b - pl;
  } else if (sh == 1 && sw == 1) {
    row = i + pt - a;
    col = j + pl - b;
  } else {
    int nr = i + pt - a;
    int nc = j + pl - b;
    if (nr < 0 || nc < 0 || nr % sh != 0 || nc % sw != 0) return -1;
    row = nr / sh;
    col = nc / sw;
  }
  if (row < 0 || row >= hi || col < 0 || col >= wi) return -1;
  return ((n * hi + row) * wi + col) * cin;
}

/*
 * A's block for output pixels p0 .. p0 + 3 (those past M read zero) and reduction rows k0 .. k0 + kc,
 * as [kc][4]. With Cin and k0, kc multiples of 4, four rows share a tap: four 16-byte loads (one
 * per pixel) transposed into four [4] rows.
 */
static void pack_a(const float* in, int mode, int m, int ho, int wo, int hi, int wi, int cin, int kw, int sh,
                   int sw, int pt, int pl, int p0, int k0, int kc, float* ap) {
  /* (n, i, j) of the four pixels; n = -1 past the last. */
  int n0 = -1, i0 = 0, j0 = 0, n1 = -1, i1 = 0, j1 = 0, n2 = -1, i2 = 0, j2 = 0, n3 = -1, i3 = 0, j3 = 0;
#define PIXEL(r)                       \
  if (p0 + r < m) {                    \
    j##r = (p0 + r) % wo;              \
    i##r = ((p0 + r) / wo) % ho;       \
    n##r = (p0 + r) / (wo * ho);       \
  }
  PIXEL(0)
  PIXEL(1)
  PIXEL(2)
  PIXEL(3)
#undef PIXEL
#define SRC(r, a, b) (n##r < 0 ? -1 : source(mode, n##r, i##r, j##r, a, b, hi, wi, cin, sh, sw, pt, pl))
  int tap = k0 / cin;
  int c = k0 % cin;
  if (cin % 4 == 0 && c % 4 == 0 && kc % 4 == 0) {
    v128_t zero = wasm_f32x4_splat(0.0f);
    /* The four source pixels change only with the tap: once per cin / 4 groups of rows. */
    int s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    for (int k = 0; k < kc; k += 4, ap += 4 * MR) {
      if (k == 0 || c == 0) {
        int a = tap / kw;
        int b = tap % kw;
        s0 = SRC(0, a, b);
        s1 = SRC(1, a, b);
        s2 = SRC(2, a, b);
        s3 = SRC(3, a, b);
      }
      v128_t v0 = s0 < 0 ? zero : wasm_v128_load(in + s0 + c);
      v128_t v1 = s1 < 0 ? zero : wasm_v128_load(in + s1 + c);
      v128_t v2 = s2 < 0 ? zero : wasm_v128_load(in + s2 + c);
      v128_t v3 = s3 < 0 ? zero : wasm_v128_load(in + s3 + c);
      v128_t t0 = wasm_i32x4_shuffle(v0, v1, 0, 4, 1, 5);
      v128_t t1 = wasm_i32x4_shuffle(v2, v3, 0, 4, 1, 5);
      v128_t t2 = wasm_i32x4_shuffle(v0, v1, 2, 6, 3, 7);
      v128_t t3 = wasm_i32x4_shuffle(v2, v3, 2, 6, 3, 7);
      wasm_v128_store(ap, wasm_i32x4_shuffle(t0, t1, 0, 1, 4, 5));
      wasm_v128_store(ap + 4, wasm_i32x4_shuffle(t0, t1, 2, 3, 6, 7));
      wasm_v128_store(ap + 8, wasm_i32x4_shuffle(t2, t3, 0, 1, 4, 5));
      wasm_v128_store(ap + 12, wasm_i32x4_shuffle(t2, t3, 2, 3, 6, 7));
      c += 4;
      if (c == cin) {
        c = 0;
        tap++;
      }
    }
    return;
  }
  int s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  for (int k = 0; k < kc; k++, ap += MR) {
    if (k == 0 || c == 0) {
      int a = tap / kw;
      int b = tap % kw;
      s0 = SRC(0, a, b);
      s1 = SRC(1, a, b);
      s2 = SRC(2, a, b);
      s3 = SRC(3, a, b);
    }
    ap[0] = s0 < 0 ? 0.0f : in[s0 + c];
    ap[1] = s1 < 0 ? 0.0f : in[s1 + c];
    ap[2] = s2 < 0 ? 0.0f : in[s2 + c];
    ap[3] = s3 < 0 ? 0.0f : in[s3 + c];
    if (++c == cin) {
      c = 0;
      tap++;
    }
  }
#undef SRC
}

/*
 * out [n][ho][wo][nout] from in [n][hi][wi][cin] and w (B above). Scratch: per thread
 * kc * (npad + 4) + 32 floats at scratch + thread * that (npad = nout rounded up to 8); kc a multiple
 * of 4.
 */
NL_EXPORT(conv_gemm)(int thread, int threads, const float* in, const float* w, float* out, int mode, int n,
                     int hi, int wi, int cin, int ho, int wo, int nout, int kh, int kw, int sh, int sw, int pt,
                     int pl, int tapStride, int cStride, int jStride, int kcMax, float* scratch) {
  int m = n * ho * wo;
  int k = kh * kw * cin;
  int npad = (nout + NR - 1) / NR * NR;
  int panels = (m + MR - 1) / MR;
  int first = nl_share_begin(panels, thread, threads);
  int last = nl_share_begin(panels, thread + 1, threads);
  if (first == last) return;
  float* bp = scratch + thread * (kcMax * (npad + MR) + MR * NR);
  float* ap = bp + kcMax * npad;
  float* tile = ap + kcMax * MR;
  int rowEnd = nl_min(last * MR, m);
  for (int e = first * MR * nout; e < rowEnd * nout; e++) out[e] = 0.0f;
  for (int k0 = 0; k0 < k; k0 += kcMax) {
    int kc = nl_min(kcMax, k - k0);
    pack_b(w, cin, nout, npad, tapStride, cStride, jStride, k0, kc, bp);
    for (int panel = first; panel < last; panel++) {
      int p0 = panel * MR;
      int rows = nl_min(MR, m - p0);
      pack_a(in, mode, m, ho, wo, hi, wi, cin, kw, sh, sw, pt, pl, p0, k0, kc, ap);
      for (int j0 = 0; j0 < npad; j0 += NR) {
        if (j0 + NR <= nout) {
          micro(kc, ap, bp + j0 * kc, out + p0 * nout + j0, nout, rows);
        } else {
          micro_partial(kc, ap, bp + j0 * kc, out + p0 * nout + j0, nout, rows, nout - j0, tile);
        }
      }
    }
  }
}
