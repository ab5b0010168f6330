/**
 * Keeps a figure of stored runs current while some of them still train: the runs of the figure that
 * are queued, training or paused (the activity store follows the 'runs' stream for the whole app)
 * get their 'run' stream subscribed; new points, probe records and status changes ask for a
 * refresh, at most once per `intervalMs` (a figure re-read is a store read, not a point append).
 * A run that leaves the active set (it finished, failed, was stopped) asks once more, for its last
 * points, and is reported to `ended` (the view re-reads its status).
 */
import { computed, onBeforeUnmount, watch, type Ref } from 'vue';
import type { ApiEvent, NormLabClient } from '../../../../shared/api';
import { useActivityStore } from '../../stores/activity';
import { throttle } from './rateLimit';

export const LIVE_REFRESH_MS = 1000;

const DATA_EVENTS = new Set(['metrics', 'probes', 'ended', 'status', 'started']);

export function useLiveRuns(
  client: NormLabClient,
  runIds: Ref<readonly string[]>,
  onData: () => void,
  options: { intervalMs?: number; ended?: (runId: string) => void } = {},
): { live: Ref<string[]> } {
  const activity = useActivityStore();
  const subscribed = new Set<string>();
  const refresh = throttle(onData, options.intervalMs ?? LIVE_REFRESH_MS);

  const live = computed(() => {
    const wanted = new Set(runIds.value);
    return activity.active.filter((r) => wanted.has(r.id)).map((r) => r.id);
  });

  watch(
    live,
    (ids) => {
      const now = new Set(ids);
      for (const id of now) {
        if (subscribed.has(id)) continue;
        subscribed.add(id);
        client.call('events.subscribe', { topic: 'run', key: id }).catch(() => subscribed.delete(id));
      }
      for (const id of [...subscribed]) {
        if (now.has(id)) continue;
        subscribed.delete(id);
        client.call('events.unsubscribe', { topic: 'run', key: id }).catch(() => undefined);
        options.ended?.(id);
        refresh();
      }
    },
    { immediate: true },
  );

  const stopListening = client.onEvent((event: ApiEvent) => {
    if (event.topic !== 'run' || !subscribed.has(event.runId)) return;
    if (DATA_EVENTS.has(event.event.type)) refresh();
  });

  onBeforeUnmount(() => {
    stopListening();
    refresh.cancel();
    for (const id of subscribed) {
      client.call('events.unsubscribe', { topic: 'run', key: id }).catch(() => undefined);
    }
    subscribed.clear();
  });

  return { live };
}
