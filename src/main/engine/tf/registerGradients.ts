/**
 * tfjs-core registers no gradient functions by itself, and its `dist/register_all_gradients` is an
 * ESM-only build with directory imports that plain Node cannot load (ERR_UNSUPPORTED_DIR_IMPORT).
 * The @tensorflow/tfjs union package's Node bundle registers every gradient on the shared engine
 * (tfjs keeps its registries on the global object), so importing it once is enough everywhere:
 * vitest, tsx, the bundled CLI and Electron.
 */
import '@tensorflow/tfjs';
