/**
 * The New experiment form, generated from the config schema (src/shared/config.ts): a walk over
 * experimentSchema's zod shape that yields one field per leaf. Enums become selects, numbers number
 * inputs with the schema's bounds, booleans checkboxes, arrays comma lists (a probe's `layers` a
 * layer picker), objects fieldsets, a union of a literal and a number (norms.every: 'train' or a
 * cadence) a select with a number. Nothing here knows a field by name except the labels and the
 * conditions in fieldMeta.ts.
 */
import { z } from 'zod';

export type FieldPath = readonly string[];

interface Base {
  key: string;
  path: FieldPath;
  /** The schema's default, when it has one. */
  defaultValue?: unknown;
}

export type FieldNode =
  | (Base & { kind: 'object'; children: FieldNode[] })
  | (Base & { kind: 'enum'; options: readonly string[] })
  | (Base & { kind: 'number'; min: number | null; max: number | null; integer: boolean })
  | (Base & { kind: 'boolean' })
  | (Base & { kind: 'string' })
  | (Base & { kind: 'numberList'; integer: boolean })
  | (Base & { kind: 'stringList' })
  | (Base & { kind: 'layers' })
  | (Base & { kind: 'literalOrNumber'; literals: readonly string[]; min: number | null; integer: boolean })
  | (Base & { kind: 'unsupported'; type: string });

/** Strips default/prefault/optional/nullable wrappers, keeping the default value. */
function unwrap(schema: z.ZodType): { inner: z.ZodType; defaultValue?: unknown } {
  let inner = schema;
  let defaultValue: unknown;
  let hasDefault = false;
  for (;;) {
    if (inner instanceof z.ZodDefault || inner instanceof z.ZodPrefault) {
      if (!hasDefault) {
        defaultValue = inner.def.defaultValue;
        hasDefault = true;
      }
      inner = inner.def.innerType as z.ZodType;
    } else if (inner instanceof z.ZodOptional || inner instanceof z.ZodNullable) {
      inner = inner.def.innerType as z.ZodType;
    } else {
      return hasDefault ? { inner, defaultValue } : { inner };
    }
  }
}

function isLayersPath(path: FieldPath): boolean {
  return path[0] === 'probes' && path.at(-1) === 'layers';
}

/** The field tree of an object schema; `skip` leaves out paths (dotted) the form handles itself. */
export function walkSchema(
  schema: z.ZodType,
  skip: ReadonlySet<string> = new Set(),
  path: FieldPath = [],
): FieldNode[] {
  const { inner } = unwrap(schema);
  if (!(inner instanceof z.ZodObject)) return [];
  const fields: FieldNode[] = [];
  for (const [key, child] of Object.entries(inner.shape as Record<string, z.ZodType>)) {
    const childPath = [...path, key];
    if (skip.has(childPath.join('.'))) continue;
    fields.push(fieldOf(key, child, childPath, skip));
  }
  return fields;
}

function fieldOf(key: string, schema: z.ZodType, path: FieldPath, skip: ReadonlySet<string>): FieldNode {
  const { inner, ...rest } = unwrap(schema);
  const base: Base = { key, path, ...rest };
  if (inner instanceof z.ZodObject)
    return { ...base, kind: 'object', children: walkSchema(inner, skip, path) };
  if (inner instanceof z.ZodEnum) return { ...base, kind: 'enum', options: inner.options.map(String) };
  if (inner instanceof z.ZodNumber) {
    return { ...base, kind: 'number', min: inner.minValue, max: inner.maxValue, integer: inner.isInt };
  }
  if (inner instanceof z.ZodBoolean) return { ...base, kind: 'boolean' };
  if (inner instanceof z.ZodString) return { ...base, kind: 'string' };
  if (inner instanceof z.ZodArray) {
    const element = unwrap(inner.element as z.ZodType).inner;
    if (element instanceof z.ZodNumber) {
      if (isLayersPath(path)) return { ...base, kind: 'layers' };
      return { ...base, kind: 'numberList', integer: element.isInt };
    }
    if (element instanceof z.ZodString) return { ...base, kind: 'stringList' };
  }
  if (inner instanceof z.ZodUnion) {
    const options = (inner.options as z.ZodType[]).map((o) => unwrap(o).inner);
    const literals = options.filter((o): o is z.ZodLiteral => o instanceof z.ZodLiteral);
    const number = options.find((o): o is z.ZodNumber => o instanceof z.ZodNumber);
    if (number && literals.length + 1 === options.length) {
      return {
        ...base,
        kind: 'literalOrNumber',
        literals: literals.flatMap((l) => [...l.values].map(String)),
        min: number.minValue,
        integer: number.isInt,
      };
    }
  }
  return { ...base, kind: 'unsupported', type: inner.def.type };
}

export function pathKey(path: FieldPath | readonly PropertyKey[]): string {
  return path.map(String).join('.');
}

export function getAt(root: unknown, path: FieldPath): unknown {
  let v: unknown = root;
  for (const k of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[k];
  }
  return v;
}

/** Sets a value inside a (reactive) object, creating the objects on the way. */
export function setAt(root: Record<string, unknown>, path: FieldPath, value: unknown): void {
  let o: Record<string, unknown> = root;
  for (const k of path.slice(0, -1)) {
    const next = o[k];
    if (next === null || typeof next !== 'object') o[k] = {};
    o = o[k] as Record<string, unknown>;
  }
  const last = path.at(-1);
  if (last === undefined) return;
  if (value === undefined) Reflect.deleteProperty(o, last);
  else o[last] = value;
}

/**
 * Issues of a safeParse keyed by field path. An issue inside a list (`probes.ics.layers.0`) is filed
 * under the list's field; one that matches no field goes under '' (the form shows it on top).
 */
export function issuesByField(
  issues: readonly z.core.$ZodIssue[],
  fields: ReadonlySet<string>,
): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const issue of issues) {
    const path = issue.path.map(String);
    let key = '';
    for (let n = path.length; n > 0; n--) {
      const candidate = path.slice(0, n).join('.');
      if (fields.has(candidate)) {
        key = candidate;
        break;
      }
    }
    const message = key === '' && path.length ? `${path.join('.')}: ${issue.message}` : issue.message;
    (out[key] ??= []).push(message);
  }
  return out;
}

/** Every leaf path of a field tree (what issuesByField matches against). */
export function leafPaths(fields: readonly FieldNode[]): Set<string> {
  const out = new Set<string>();
  const visit = (f: FieldNode): void => {
    if (f.kind === 'object') f.children.forEach(visit);
    else out.add(pathKey(f.path));
  };
  fields.forEach(visit);
  return out;
}
