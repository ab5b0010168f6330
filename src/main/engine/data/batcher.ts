/**
 * Seeded, resumable minibatch order. With N examples and batch size B, an epoch has
 * S = floor(N / B) steps; global step k belongs to epoch e = floor(k / S) and is slice
 * (k mod S) * B .. (k mod S + 1) * B of the epoch's permutation pi_e, a Fisher-Yates shuffle driven
 * by randomStream(seed, 'order', e). Batch k is therefore a function of (seed, k) alone: a run resumed
 * at step k draws exactly the batches of an uninterrupted run, without replaying earlier ones.
 *
 * The last N mod B examples of each epoch's permutation are dropped (PyTorch's drop_last=True), so
 * every batch has exactly B examples (BatchNorm statistics need a fixed, reasonably large batch);
 * each epoch drops different examples. When B >= N every step is the full batch 0..N-1, in order.
 */
import { randomStream } from '../rng/seeds';

export class Batcher {
  /** Examples per batch: min(B, N). */
  readonly batchSize: number;
  readonly stepsPerEpoch: number;
  private cachedEpoch = -1;
  private cachedOrder: Uint32Array = new Uint32Array(0);

  constructor(
    readonly count: number,
    batchSize: number,
    readonly seed: number,
  ) {
    if (!Number.isInteger(count) || count <= 0) throw new RangeError(`Batcher needs examples; got ${count}`);
    if (!Number.isInteger(batchSize) || batchSize <= 0) throw new RangeError(`bad batch size ${batchSize}`);
    this.batchSize = Math.min(batchSize, count);
    this.stepsPerEpoch = Math.floor(count / this.batchSize);
  }

  /** True when every step is the whole data set (B >= N). */
  get fullBatch(): boolean {
    return this.batchSize === this.count;
  }

  epochOf(step: number): number {
    return Math.floor(step / this.stepsPerEpoch);
  }

  /** The example indices of global step `step` (0-based). The array is a view; do not modify it. */
  indicesAt(step: number): Uint32Array {
    if (!Number.isInteger(step) || step < 0) throw new RangeError(`bad step ${step}`);
    const order = this.fullBatch ? this.order(0) : this.order(this.epochOf(step));
    const start = (step % this.stepsPerEpoch) * this.batchSize;
    return order.subarray(start, start + this.batchSize);
  }

  /** pi_e: the identity when B >= N, else Fisher-Yates on randomStream(seed, 'order', e). */
  private order(epoch: number): Uint32Array {
    if (epoch === this.cachedEpoch) return this.cachedOrder;
    const order = new Uint32Array(this.count);
    for (let i = 0; i < this.count; i++) order[i] = i;
    if (!this.fullBatch) {
      const random = randomStream(this.seed, 'order', epoch);
      for (let i = this.count - 1; i > 0; i--) {
        const j = Math.floor(random() * (i + 1));
        const t = order[i] ?? 0;
        order[i] = order[j] ?? 0;
        order[j] = t;
      }
    }
    this.cachedEpoch = epoch;
    this.cachedOrder = order;
    return order;
  }
}
