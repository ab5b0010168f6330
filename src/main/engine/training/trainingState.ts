/**
 * Everything that changes during training: the step counter, the weights, the optimizer's state and
 * the normalization layers' running estimates. Random streams are counter-based (rng/seeds.ts), so
 * their state is the step counter itself and is recorded as such in the checkpoint.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { ExperimentConfig } from '../../../shared/config';
import { UserError } from '../../../shared/errors';
import type { Network, ParamMap } from '../models/networkTypes';
import type { NoiseSource } from '../norms/noisyBatchNorm';
import type { NormStats, RunningStats } from '../norms/normStats';
import { disposeStats, initRunningStats, updateRunningStats } from '../models/runningStats';
import { initParams } from '../models/params';
import { lossAndGradients } from '../models/lossAndGradients';
import { createOptimizer, type Optimizer } from '../optim/createOptimizer';
import type { Task } from '../tasks/task';
import { decodeCheckpoint, encodeCheckpoint, type CheckpointTensor } from './checkpointFormat';

interface CheckpointMeta {
  seed: number;
  network: string;
  normalization: string;
  /** The random streams are derived from (seed, step); there is no other generator state. */
  rng: { scheme: 'counter'; seed: number; nextStep: number };
}

let instances = 0;

export class TrainingState {
  step = 0;
  private running: RunningStats;
  private readonly variables: Record<string, tf.Variable>;
  private readonly prefix = `nl${++instances}/`;

  private constructor(
    private readonly net: Network,
    private readonly config: ExperimentConfig,
    params: ParamMap,
    running: RunningStats,
    private readonly optimizer: Optimizer,
  ) {
    this.variables = {};
    for (const spec of net.params) {
      const value = params[spec.name];
      if (!value) throw new Error(`missing parameter ${spec.name}`);
      this.variables[spec.name] = tf.variable(value, true, this.prefix + spec.name);
      value.dispose();
    }
    this.running = running;
  }

  static fresh(net: Network, config: ExperimentConfig): TrainingState {
    return new TrainingState(
      net,
      config,
      initParams(net, config.seed),
      initRunningStats(net),
      createOptimizer(config.optimizer),
    );
  }

  static fromCheckpoint(net: Network, config: ExperimentConfig, bytes: Uint8Array): TrainingState {
    const ckpt = decodeCheckpoint<CheckpointMeta>(bytes);
    const byKey = new Map(ckpt.tensors.map((t) => [t.key, t]));
    const tensor = (key: string): tf.Tensor => {
      const t = byKey.get(key);
      if (!t) {
        throw new UserError(
          'checkpoint',
          `the checkpoint has no tensor "${key}": it was written for another network`,
        );
      }
      return tf.tensor(t.data, t.shape, t.dtype);
    };
    const params: ParamMap = {};
    for (const spec of net.params) params[spec.name] = tensor(`param/${spec.name}`);
    const running: RunningStats = new Map();
    for (const layer of normalizedLayers(net)) {
      running.set(layer, {
        mean: tensor(`running/${layer}/mean`) as tf.Tensor1D,
        scale: tensor(`running/${layer}/scale`) as tf.Tensor1D,
      });
    }
    const optimizer = createOptimizer(config.optimizer);
    const optState = ckpt.tensors
      .filter((t) => t.key.startsWith('optimizer/'))
      .map((t) => ({ name: t.key.slice('optimizer/'.length), tensor: tf.tensor(t.data, t.shape, t.dtype) }));
    optimizer.setState(optState);
    for (const s of optState) s.tensor.dispose();
    const state = new TrainingState(net, config, params, running, optimizer);
    state.step = ckpt.step;
    return state;
  }

  /** The weights as the network's forward pass takes them. */
  get params(): ParamMap {
    return this.variables;
  }

  get runningStats(): RunningStats {
    return this.running;
  }

  parameterCount(): number {
    return Object.values(this.variables).reduce((s, v) => s + v.size, 0);
  }

  /**
   * One optimization step on (x, y); returns [loss, accuracy] of the minibatch (accuracy 0 for
   * regression). Run it inside tf.tidy: every intermediate is released, the new state is kept.
   * `keepGradients` receives the step's gradient g = grad L(w_{k-1}) before the update; what it
   * wants to outlive the tidy it must tf.keep (the probes take kept clones).
   */
  step_(
    x: tf.Tensor,
    y: tf.Tensor,
    task: Task,
    noise: NoiseSource | undefined,
    keepGradients?: (grads: ParamMap) => void,
  ): tf.Tensor1D {
    const r = lossAndGradients(this.net, this.variables, x, (output) => task.loss(output, y), {
      training: true,
      ...(noise ? { noise } : {}),
    });
    keepGradients?.(r.grads);
    this.optimizer.step(this.variables, r.grads);
    this.updateRunning(r.batchStats);
    const acc = task.correct ? tf.div(task.correct(r.output, y), x.shape[0] as number) : tf.scalar(0);
    // lossAndGradients hands over kept tensors, which the enclosing tidy would not release.
    r.output.dispose();
    disposeStats(r.batchStats);
    return tf.stack([r.loss, acc]) as tf.Tensor1D;
  }

  /** running = (1 - m) running + m batch, per normalized layer (PAPER.md section 3). */
  private updateRunning(batchStats: Map<number, NormStats>): void {
    if (batchStats.size === 0) return;
    const next = updateRunningStats(this.running, batchStats, this.config.model.normMomentum);
    for (const s of next.values()) {
      tf.keep(s.mean);
      tf.keep(s.scale);
    }
    disposeStats(this.running);
    this.running = next;
  }

  async toCheckpoint(): Promise<Uint8Array> {
    const tensors: CheckpointTensor[] = [];
    const add = async (key: string, t: tf.Tensor): Promise<void> => {
      const dtype = t.dtype === 'int32' ? 'int32' : 'float32';
      const data = (await t.data()) as Float32Array | Int32Array;
      tensors.push({
        key,
        shape: t.shape,
        dtype,
        data: dtype === 'int32' ? Int32Array.from(data) : Float32Array.from(data),
      });
    };
    for (const spec of this.net.params)
      await add(`param/${spec.name}`, this.variables[spec.name] as tf.Tensor);
    for (const [layer, s] of this.running) {
      await add(`running/${layer}/mean`, s.mean);
      await add(`running/${layer}/scale`, s.scale);
    }
    for (const { name, tensor } of this.optimizer.getState()) {
      await add(`optimizer/${name}`, tensor);
      tensor.dispose();
    }
    const meta: CheckpointMeta = {
      seed: this.config.seed,
      network: this.config.model.network,
      normalization: this.config.model.normalization,
      rng: { scheme: 'counter', seed: this.config.seed, nextStep: this.step + 1 },
    };
    return encodeCheckpoint({ step: this.step, meta, tensors });
  }

  dispose(): void {
    for (const v of Object.values(this.variables)) v.dispose();
    disposeStats(this.running);
    this.running.clear();
    this.optimizer.dispose();
  }
}

/** The layers that keep running estimates (those initRunningStats creates): 1..numLayers when normalized. */
function normalizedLayers(net: Network): number[] {
  return net.config.normalization === 'none' ? [] : net.layerWidths.map((_, k) => k + 1);
}
