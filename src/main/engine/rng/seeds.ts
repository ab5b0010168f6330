/**
 * Counter-based seeding: every random stream of a run (init, data order, augmentation, Algorithm 1
 * noise, ...) is derived from the run seed and a path such as ('noise', step, layer). A stream's
 * values then depend only on where it is used, never on how many numbers were drawn before, so a
 * resumed run replays exactly the numbers an uninterrupted one would draw, and probes can re-draw a
 * step's noise without disturbing training.
 */
import seedrandom from 'seedrandom';

export type SeedPath = readonly (string | number)[];

/** A non-negative 31-bit integer seed for tfjs random ops, derived from `base` and `path`. */
export function deriveSeed(base: number, ...path: SeedPath): number {
  return seedrandom.alea(streamKey(base, path)).int32() >>> 1;
}

/** A uniform [0, 1) generator for the stream (base, ...path). */
export function randomStream(base: number, ...path: SeedPath): () => number {
  return seedrandom.alea(streamKey(base, path));
}

function streamKey(base: number, path: SeedPath): string {
  return [base, ...path].join('/');
}
