/*
 * Shared by NormLab's own wasm kernels (bin/build-wasm-kernels.mjs builds each .c file of this folder
 * into a module that imports tfjs-backend-wasm's memory; nativeKernels.ts runs them).
 *
 * Rules every kernel follows, because the module shares tfjs's heap:
 * - no static data, no string constants, no arrays on the stack: the module must have no data
 *   segments and never touch the shadow stack (its addresses would be tfjs's; the build checks both);
 * - every exported kernel is void f(int thread, int threads, int args...), runs its share of the work
 *   (thread in [0, threads)) and writes only what no other thread writes, so results do not depend on
 *   the thread count; scratch memory comes from the caller, one slice per thread.
 */
#ifndef NORMLAB_H
#define NORMLAB_H
#include <wasm_simd128.h>

#define NL_EXPORT(name) __attribute__((export_name(#name))) void name

/* [begin, end) of thread `t`'s share of `n` items split as evenly as possible. */
static inline int nl_share_begin(int n, int t, int threads) {
  return (int)(((long long)n * t) / threads);
}

static inline int nl_min(int a, int b) { return a < b ? a : b; }
static inline int nl_max(int a, int b) { return a > b ? a : b; }

#endif
