/**
 * Run ids are short enough to type (`normlab show k3x9q0ab`): 8 random base-36 characters, about
 * 41 bits, so a collision needs on the order of a million runs in one file; the insert retries on one.
 * Runs are ordered by created_at, so the id need not sort.
 */
import { randomInt } from 'node:crypto';

const ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyz';
export const RUN_ID_LENGTH = 8;

export function newRunId(): string {
  let id = '';
  for (let i = 0; i < RUN_ID_LENGTH; i++) id += ALPHABET[randomInt(ALPHABET.length)];
  return id;
}
