/**
 * Calls that must not follow every input event: a figure re-build after a slider moved (debounce: once
 * the input rests), and after live points arrived (throttle: at most once per interval, the last call
 * always honoured so the figure ends up current).
 */

export interface Limited<A extends unknown[]> {
  (...args: A): void;
  /** Drops a call that is waiting. */
  cancel(): void;
  /** Runs a waiting call now (if any). */
  flush(): void;
}

/** `fn` runs `ms` after the last call, with that call's arguments. */
export function debounce<A extends unknown[]>(fn: (...args: A) => void, ms: number): Limited<A> {
  let timer: ReturnType<typeof setTimeout> | null = null;
  let last: A | null = null;
  const run = (): void => {
    timer = null;
    const args = last;
    last = null;
    if (args) fn(...args);
  };
  const limited = (...args: A): void => {
    last = args;
    if (timer !== null) clearTimeout(timer);
    timer = setTimeout(run, ms);
  };
  limited.cancel = (): void => {
    if (timer !== null) clearTimeout(timer);
    timer = null;
    last = null;
  };
  limited.flush = (): void => {
    if (timer === null) return;
    clearTimeout(timer);
    run();
  };
  return limited;
}

/**
 * `fn` runs at once on a first call, then at most once every `ms`: calls in between are folded into
 * one trailing call (with the latest arguments) at the end of the interval.
 */
export function throttle<A extends unknown[]>(fn: (...args: A) => void, ms: number): Limited<A> {
  let timer: ReturnType<typeof setTimeout> | null = null;
  let pending: A | null = null;
  const open = (): void => {
    timer = null;
    if (pending === null) return;
    const args = pending;
    pending = null;
    fn(...args);
    timer = setTimeout(open, ms);
  };
  const limited = (...args: A): void => {
    if (timer !== null) {
      pending = args;
      return;
    }
    fn(...args);
    timer = setTimeout(open, ms);
  };
  limited.cancel = (): void => {
    if (timer !== null) clearTimeout(timer);
    timer = null;
    pending = null;
  };
  limited.flush = (): void => {
    if (pending === null) return;
    if (timer !== null) clearTimeout(timer);
    timer = null;
    open();
  };
  return limited;
}
