/**
 * Building a validated ExperimentConfig from a preset or file plus `--set key=value` overrides, with
 * errors that name the offending key and say what is allowed.
 */
import type { z } from 'zod';
import { experimentSchema, type ExperimentConfig } from './config';
import { UserError } from './errors';

export type JsonObject = { [key: string]: unknown };

/**
 * Parses `a.b.c=value`. The value is read as JSON when it parses (numbers, booleans, arrays such as
 * [256,128]), otherwise taken as a string, so `model.normalization=batch` needs no quotes.
 */
export function parseOverride(text: string): { path: string[]; value: unknown } {
  const eq = text.indexOf('=');
  if (eq <= 0) {
    throw new UserError('usage', `--set expects key=value (e.g. optimizer.lr=0.05), got "${text}"`);
  }
  const path = text.slice(0, eq).trim().split('.');
  if (path.some((p) => p === ''))
    throw new UserError('usage', `--set key "${text.slice(0, eq)}" has an empty part`);
  const raw = text.slice(eq + 1).trim();
  let value: unknown = raw;
  try {
    value = JSON.parse(raw);
  } catch {
    // Not JSON: a bare string such as a normalization name.
  }
  return { path, value };
}

export function applyOverrides(base: JsonObject, overrides: readonly string[]): JsonObject {
  const out = structuredClone(base);
  for (const text of overrides) {
    const { path, value } = parseOverride(text);
    let node: JsonObject = out;
    for (const key of path.slice(0, -1)) {
      const next = node[key];
      if (next === undefined) node[key] = {};
      else if (typeof next !== 'object' || next === null || Array.isArray(next)) {
        throw new UserError('usage', `--set ${text}: "${key}" is not a section of the config`);
      }
      node = node[key] as JsonObject;
    }
    node[path[path.length - 1] as string] = value;
  }
  return out;
}

/** Validates and fills defaults; every problem is listed with its key path. */
export function parseExperiment(input: unknown, origin: string): ExperimentConfig {
  const result = experimentSchema.safeParse(input);
  if (result.success) return result.data;
  throw new UserError('config', `${origin} is not a valid experiment:\n${formatIssues(result.error)}`);
}

export function formatIssues(error: z.ZodError): string {
  return error.issues
    .map((i) => {
      const key = i.path.length > 0 ? i.path.join('.') : '(top level)';
      return `  - ${key}: ${i.message}`;
    })
    .join('\n');
}
