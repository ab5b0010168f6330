/**
 * What the training and probe-overhead benchmarks measure (engine/training/benchmark.ts) and report
 * back across the worker boundary to the runs layer and the hosts.
 */
import type { NetworkName, NormalizationName } from './config';
import type { ProbeName } from './probes';

/**
 * One training-throughput measurement. Without `preset` the network is `network` with
 * `normalization` (and `widthMultiplier`, 1 when absent) and every other model setting at its default;
 * with `preset` it is exactly that preset's model config (every field of it), which `network`,
 * `normalization` and `widthMultiplier` then repeat so the result says what was measured
 * (benchmarkTraining refuses a spec where they differ).
 */
export interface BenchSpec {
  network: NetworkName;
  normalization: NormalizationName;
  /** model.widthMultiplier of the VGG family (vgg16 at 0.25 is the CPU-scale network). */
  widthMultiplier?: number;
  /** A CIFAR-10 preset (shared/presets.ts) whose model is measured; its probes are not run. */
  preset?: string;
  batchSize: number;
  warmupSteps: number;
  timedSteps: number;
}

export interface BenchResult extends BenchSpec {
  msPerStep: number;
  imagesPerSec: number;
  gflops: number;
}

export interface ProbeOverheadSpec {
  /** A preset whose probes are measured (its network, normalization and probe set). */
  preset: string;
  batchSize: number;
  warmupSteps: number;
  /** Steps without probes (the baseline), then steps with every probe of the preset due. */
  timedSteps: number;
}

export interface ProbeCost {
  probe: ProbeName;
  /** Mean wall time per probing step, ms. */
  ms: number;
  /** The preset's cadence of the probe (steps between two runs of it). */
  every: number;
  forwardPasses: number;
  backwardPasses: number;
  /** ms / (every x the plain step time): this probe's share of the training time. */
  overhead: number;
}

export interface ProbeOverheadResult extends ProbeOverheadSpec {
  network: NetworkName;
  normalization: NormalizationName;
  /** Mean wall time of a training step without probes, ms. */
  stepMs: number;
  probes: ProbeCost[];
  /** Sum of the probes' overheads: the extra wall time at the preset's cadences, over training alone. */
  overhead: number;
}

/**
 * The per-op benchmark (engine/training/opBenchmark.ts, and its PyTorch peer bench/torch_ops.py):
 * the kernels of one training step timed one by one on the conv-layer shapes of a network.
 * vgg-mini times every op of a conv block; the VGG16 sets (width 1/4 and full) the convolutions only.
 */
export const OP_SHAPE_SETS = ['vgg-mini', 'vgg16-quarter', 'vgg16'] as const;
export type OpShapeSet = (typeof OP_SHAPE_SETS)[number];

/**
 * The ops, as both sides name them: the forward convolution, its filter gradient (dW) and input
 * gradient (dx), the bias gradient (dy summed over N, H, W), BatchNorm forward and backward in
 * training mode, the ReLU gradient and the 2x2 max-pool gradient.
 */
export const OP_KINDS = [
  'conv-forward',
  'conv-dw',
  'conv-dx',
  'bias-grad',
  'bn',
  'relu-grad',
  'maxpool-grad',
] as const;
export type OpKind = (typeof OP_KINDS)[number];

export const CONV_OP_KINDS: readonly OpKind[] = ['conv-forward', 'conv-dw', 'conv-dx'];

/** One 3x3 'same' convolution of a shape set: input size x size x inChannels, outChannels filters. */
export interface OpLayer {
  /** 1-based, as the network numbers its layers. */
  index: number;
  size: number;
  inChannels: number;
  outChannels: number;
  /** A 2x2 max-pool (stride 2) follows. */
  pool: boolean;
}

export interface OpBenchSpec {
  shapeSet: OpShapeSet;
  batchSize: number;
  warmup: number;
  /** Timed calls per op; the median is reported. */
  reps: number;
}

export interface OpTiming {
  op: OpKind;
  shapeSet: OpShapeSet;
  layer: number;
  /** NxHxWxC->K for a convolution, NxHxWxK (the conv's output) for the other ops (opShape). */
  shape: string;
  /** Median wall time of one call, ms. */
  ms: number;
  /** Convolutions only: 2 N H W C K 9 / time. */
  gflops?: number;
}

export interface OpBenchResult extends OpBenchSpec {
  timings: OpTiming[];
}

const VGG16_WIDTHS: readonly (number | 'M')[] = [
  64,
  64,
  'M',
  128,
  128,
  'M',
  256,
  256,
  256,
  'M',
  512,
  512,
  512,
  'M',
  512,
  512,
  512,
  'M',
];
const SHAPE_SET_WIDTHS: Record<OpShapeSet, { widths: readonly (number | 'M')[]; multiplier: number }> = {
  'vgg-mini': { widths: [64, 'M', 128, 'M', 256, 'M', 512, 'M'], multiplier: 1 },
  'vgg16-quarter': { widths: VGG16_WIDTHS, multiplier: 0.25 },
  vgg16: { widths: VGG16_WIDTHS, multiplier: 1 },
};

/**
 * The conv layers of a shape set on 32x32x3 inputs, widths scaled as models/vgg.ts scales them
 * (round(width x multiplier), at least 1); bench/torch_ops.py derives the same list.
 */
export function opLayers(set: OpShapeSet): OpLayer[] {
  const { widths, multiplier } = SHAPE_SET_WIDTHS[set];
  const layers: OpLayer[] = [];
  let size = 32;
  let channels = 3;
  for (const w of widths) {
    const last = layers[layers.length - 1];
    if (w === 'M') {
      if (last) last.pool = true;
      size = Math.floor(size / 2);
      continue;
    }
    const k = Math.max(1, Math.round(w * multiplier));
    layers.push({ index: layers.length + 1, size, inChannels: channels, outChannels: k, pool: false });
    channels = k;
  }
  return layers;
}

/** The ops a shape set times: every op of a block for vgg-mini, the convolutions for VGG16. */
export function opKindsOf(set: OpShapeSet): readonly OpKind[] {
  return set === 'vgg-mini' ? OP_KINDS : CONV_OP_KINDS;
}

/**
 * Whether `op` runs on `layer` in a training step: the first layer's input gradient never does (its
 * input is data), and the max-pool gradient only where a pool follows.
 */
export function opApplies(op: OpKind, layer: OpLayer): boolean {
  if (op === 'conv-dx') return layer.index > 1;
  if (op === 'maxpool-grad') return layer.pool;
  return true;
}

/** The shape label both sides print (see OpTiming.shape). */
export function opShape(op: OpKind, layer: OpLayer, batchSize: number): string {
  const { size, inChannels, outChannels } = layer;
  return CONV_OP_KINDS.includes(op)
    ? `${batchSize}x${size}x${size}x${inChannels}->${outChannels}`
    : `${batchSize}x${size}x${size}x${outChannels}`;
}

/** FLOPs of one 3x3 'same' convolution, its dW or its dx: 2 per multiply-add, N H W C K 9 of them. */
export function convFlops(layer: OpLayer, batchSize: number): number {
  return 2 * batchSize * layer.size * layer.size * layer.inChannels * layer.outChannels * 9;
}
