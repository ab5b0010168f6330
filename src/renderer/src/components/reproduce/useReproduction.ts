/**
 * A reproduction's plan and verdicts, kept current for the Reproduction view:
 * - the plan (reproduce.plan) and the results (reproduce.results) are read for the chosen options,
 *   again whenever they change; the answer to an older request is dropped;
 * - while the view is open it follows the `runs` stream: a change of status (or a new run) of one of
 *   the plan's runs, or of a run carrying its tag, reads the plan again (at most once a second), and
 *   a run that ended reads the verdicts again too, so states move to done and the claims fill in as
 *   the runs finish; a reconnect reads both again (events may have been missed).
 */
import { computed, onBeforeUnmount, ref, shallowRef, watch, type Ref } from 'vue';
import type { ApiEvent, ApiParams } from '../../../../shared/api';
import type { BackendName } from '../../../../shared/config';
import type {
  ReproOptions,
  ReproPlanInfo,
  ReproResults,
  ReproStartResult,
} from '../../../../shared/reproduce';
import type { RunStatus } from '../../../../shared/runTypes';
import type { RendererClient } from '../../api/client';
import { errorText } from '../../format/errorText';
import { throttle } from '../figures/rateLimit';

export const REFRESH_MS = 1000;

/** Statuses of a run still under way; any other ends it (its verdicts can change). */
const UNDER_WAY: readonly RunStatus[] = ['queued', 'running', 'paused'];

/** A request whose answer is kept only if no newer one was made meanwhile. */
function latest<T>(load: () => Promise<T>, apply: (value: T) => void, fail: (message: string) => void) {
  let token = 0;
  const busy = ref(false);
  async function run(): Promise<void> {
    const mine = ++token;
    busy.value = true;
    try {
      const value = await load();
      if (mine === token) apply(value);
    } catch (e) {
      if (mine === token) fail(errorText(e));
    } finally {
      if (mine === token) busy.value = false;
    }
  }
  return { run, busy };
}

export interface StartChoices {
  backend: BackendName | null;
  threads: ApiParams<'reproduce.start'>['threads'];
}

export function useReproduction(
  client: RendererClient,
  options: Ref<ReproOptions>,
  backend: Ref<BackendName | null>,
) {
  const plan = shallowRef<ReproPlanInfo | null>(null);
  const planError = ref<string | null>(null);
  const results = shallowRef<ReproResults | null>(null);
  const resultsError = ref<string | null>(null);
  const started = shallowRef<ReproStartResult | null>(null);
  const startError = ref<string | null>(null);
  const starting = ref(false);
  /** The plan's next read times the runs without a timing (reproduce.plan's calibrate). */
  let calibrateNext = false;
  const calibrating = ref(false);

  const planLoad = latest(
    () => {
      const calibrate = calibrateNext;
      calibrateNext = false;
      return client.call('reproduce.plan', {
        ...options.value,
        ...(backend.value !== null ? { backend: backend.value } : {}),
        ...(calibrate ? { calibrate: true } : {}),
      });
    },
    (p) => {
      plan.value = p;
      planError.value = null;
    },
    (message) => (planError.value = message),
  );
  watch(planLoad.busy, (busy) => {
    if (!busy) calibrating.value = false;
  });

  const resultsLoad = latest(
    () => client.call('reproduce.results', { ...options.value }),
    (r) => {
      results.value = r;
      resultsError.value = null;
    },
    (message) => (resultsError.value = message),
  );

  const refreshPlan = throttle(() => void planLoad.run(), REFRESH_MS);
  const refreshResults = throttle(() => void resultsLoad.run(), REFRESH_MS);

  // Other options: another reproduction (what a start did was for the last one).
  watch(
    () => JSON.stringify(options.value),
    () => {
      refreshPlan.cancel();
      refreshResults.cancel();
      started.value = null;
      startError.value = null;
      plan.value = null;
      results.value = null;
      void planLoad.run();
      void resultsLoad.run();
    },
    { immediate: true },
  );
  watch(backend, () => void planLoad.run());

  /** Times the kinds of run left that have no timing here (seconds to a minute). */
  function calibrate(): void {
    calibrateNext = true;
    calibrating.value = true;
    refreshPlan.cancel();
    void planLoad.run();
  }

  async function start(choices: StartChoices): Promise<void> {
    const asked = JSON.stringify(options.value);
    starting.value = true;
    startError.value = null;
    try {
      const r = await client.call('reproduce.start', {
        ...options.value,
        ...(choices.backend !== null ? { backend: choices.backend } : {}),
        ...(choices.threads !== undefined ? { threads: choices.threads } : {}),
      });
      if (asked !== JSON.stringify(options.value)) return;
      started.value = r;
    } catch (e) {
      if (asked === JSON.stringify(options.value)) startError.value = errorText(e);
    } finally {
      starting.value = false;
    }
    // New runs are stored now: their ids and states.
    void planLoad.run();
    void resultsLoad.run();
  }

  // ---- following the runs ----------------------------------------------------------------------

  const watched = computed(() => {
    const ids = new Set<string>();
    for (const r of plan.value?.runs ?? []) if (r.runId !== undefined) ids.add(r.runId);
    const s = started.value;
    if (s) for (const id of [...s.queued, ...s.reused, ...s.elsewhere]) ids.add(id);
    return ids;
  });

  function onEvent(event: ApiEvent): void {
    if (event.topic !== 'runs') return;
    const { change } = event;
    if (change.kind !== 'created' && change.kind !== 'status') return;
    const tag = plan.value?.tag;
    const ours = watched.value.has(change.runId) || (tag !== undefined && change.row?.tags.includes(tag));
    if (!ours) return;
    refreshPlan();
    if (change.kind === 'status' && change.row && !UNDER_WAY.includes(change.row.status)) refreshResults();
  }

  const stopEvents = client.onEvent(onEvent);
  let wasOpen = client.connection().state === 'open';
  const stopConnection = client.onConnection((s) => {
    if (s.state === 'open' && !wasOpen) {
      refreshPlan();
      refreshResults();
    }
    wasOpen = s.state === 'open';
  });
  const followError = ref<string | null>(null);
  client
    .call('events.subscribe', { topic: 'runs' })
    .catch((e: unknown) => (followError.value = errorText(e)));

  onBeforeUnmount(() => {
    stopEvents();
    stopConnection();
    refreshPlan.cancel();
    refreshResults.cancel();
    void client.call('events.unsubscribe', { topic: 'runs' }).catch(() => undefined);
  });

  return {
    plan,
    planError,
    planLoading: planLoad.busy,
    results,
    resultsError,
    resultsLoading: resultsLoad.busy,
    started,
    startError,
    starting,
    calibrating,
    followError,
    start,
    calibrate,
    reloadPlan: () => void planLoad.run(),
    reloadResults: () => void resultsLoad.run(),
  };
}
