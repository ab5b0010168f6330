/**
 * One probe's structured records for a panel: the stored ones (probes.records), then the live ones
 * from the run stream, one per (step, layer) with the later kept. `records` changes at most every
 * `throttleMs` (records come once per probed step; a panel redraws once for a burst of them).
 */
import { onBeforeUnmount, shallowRef, watch } from 'vue';
import type { ProbeName, ProbeRecord } from '../../../../shared/probes';
import { useLiveRunContext } from './liveRunContext';
import { errorText } from '../../format/errorText';

export function recordKey(r: ProbeRecord): string {
  const layer = (r.data as { layer?: unknown }).layer;
  return `${r.step}:${typeof layer === 'number' ? layer : ''}`;
}

export function useProbeRecords(probe: ProbeName, throttleMs = 400) {
  const ctx = useLiveRunContext();
  const records = shallowRef<readonly ProbeRecord[]>([]);
  const error = shallowRef<string | null>(null);
  const byKey = new Map<string, ProbeRecord>();
  let early: ProbeRecord[] | null = [];
  let timer: ReturnType<typeof setTimeout> | null = null;
  let token = 0;

  function publish(): void {
    if (timer !== null) return;
    timer = setTimeout(() => {
      timer = null;
      records.value = [...byKey.values()].sort((a, b) => a.step - b.step);
    }, throttleMs);
  }

  function add(list: readonly ProbeRecord[]): void {
    for (const r of list) byKey.set(recordKey(r), r);
    publish();
  }

  const stop = ctx.records.listen(probe, (list) => {
    if (early !== null) early.push(...list);
    else add(list);
  });

  async function load(): Promise<void> {
    const t = ++token;
    byKey.clear();
    early = [];
    try {
      const stored = await ctx.client.call('probes.records', { runId: ctx.runId.value, probe });
      if (t !== token) return;
      add(stored);
      error.value = null;
    } catch (e) {
      if (t !== token) return;
      error.value = errorText(e);
    }
    const held = early ?? [];
    early = null;
    add(held);
  }

  watch(ctx.generation, () => void load(), { immediate: true });

  onBeforeUnmount(() => {
    stop();
    if (timer !== null) clearTimeout(timer);
  });

  return { records, error };
}
