/**
 * Per-parameter state tensors of an optimizer (momentum buffers, Adam moments), named
 * `<parameter>/<slot>`, with the copy-in / copy-out that checkpoints need.
 */
import * as tf from '@tensorflow/tfjs-core';
import { UserError } from '../../../shared/errors';
import type { NamedTensor } from './optimizer';

export class Slots {
  private readonly tensors = new Map<string, tf.Tensor>();

  constructor(private readonly slotNames: readonly string[]) {}

  get(param: string, slot: string): tf.Tensor | undefined {
    return this.tensors.get(`${param}/${slot}`);
  }

  /** Stores `value` (kept) and disposes the tensor it replaces. */
  set(param: string, slot: string, value: tf.Tensor): void {
    const key = `${param}/${slot}`;
    const old = this.tensors.get(key);
    this.tensors.set(key, tf.keep(value));
    if (old && old !== value) old.dispose();
  }

  /** A slot's value for a parameter of `shape`; a restored slot of another shape is a bad checkpoint. */
  check(param: string, slot: string, shape: readonly number[]): tf.Tensor | undefined {
    const t = this.get(param, slot);
    if (t && !tf.util.arraysEqual(t.shape, [...shape])) {
      throw new UserError(
        'checkpoint',
        `optimizer state ${param}/${slot} has shape [${t.shape.join(', ')}], the parameter [${shape.join(', ')}]: ` +
          'the checkpoint belongs to another network; resume from a checkpoint of this run or start it fresh',
      );
    }
    return t;
  }

  entries(): NamedTensor[] {
    return [...this.tensors].map(([name, t]) => ({ name, tensor: tf.clone(t) }));
  }

  /** Replaces every slot with copies of the matching entries of `state`; returns the others. */
  load(state: readonly NamedTensor[]): NamedTensor[] {
    this.clear();
    const rest: NamedTensor[] = [];
    for (const e of state) {
      const slash = e.name.lastIndexOf('/');
      if (slash > 0 && this.slotNames.includes(e.name.slice(slash + 1))) {
        this.tensors.set(e.name, tf.keep(tf.clone(e.tensor)));
      } else {
        rest.push(e);
      }
    }
    return rest;
  }

  clear(): void {
    for (const t of this.tensors.values()) t.dispose();
    this.tensors.clear();
  }
}

export function unknownState(optimizer: string, entries: readonly NamedTensor[]): UserError {
  return new UserError(
    'checkpoint',
    `the checkpoint's optimizer state (${entries.map((e) => e.name).join(', ')}) is not ${optimizer} state: ` +
      'resume with the optimizer the run was started with',
  );
}
