/** Indexed and optional values that a test requires to be there (strict TypeScript's undefined). */

/** a[k], which must exist. */
export function at<T>(a: ArrayLike<T>, k: number): T {
  const v = a[k];
  if (v === undefined) throw new Error(`no element ${k}`);
  return v;
}

/** v, which must be defined. */
export function must<T>(v: T | undefined): T {
  if (v === undefined) throw new Error('missing value');
  return v;
}
