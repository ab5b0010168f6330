/**
 * The live run view's state: the run (runs.get), its status, progress and log, and the run stream
 * (events.subscribe {topic: 'run'}) routed to the charts. Subscribes before it reads, so nothing
 * emitted in between is lost (charts drop points their reads already hold).
 *
 * Progress events can come at every step: they only overwrite one plain object, which the header
 * shows through a ref updated at most every 250 ms.
 */
import { onBeforeUnmount, ref, shallowRef, watch, type Ref } from 'vue';
import type { ApiEvent, NormLabClient, RunDetail } from '../../../../shared/api';
import type { RunEvent } from '../../../../shared/events';
import type { RunLogEntry, RunStatus } from '../../../../shared/runTypes';
import type { RendererClient } from '../../api/client';
import { FlushScheduler } from '../../charts/flushScheduler';
import { BenchRecorder, benchRequested } from './benchRecorder';
import { MetricHub, RecordHub, type LiveRunContext } from './liveRunContext';
import { errorText } from '../../format/errorText';

export interface LiveProgress {
  step: number;
  totalSteps: number;
  loss: number | null;
  accuracy: number | null;
  examplesPerSec: number | null;
  etaSec: number | null;
}

/** The most log lines the view keeps (the newest). */
export const LOG_LIMIT = 2000;

export function useLiveRun(client: NormLabClient, runId: Ref<string>) {
  const detail = shallowRef<RunDetail | null>(null);
  const status = ref<RunStatus | null>(null);
  const progress = shallowRef<LiveProgress | null>(null);
  const log = shallowRef<RunLogEntry[]>([]);
  const loadError = ref<string | null>(null);
  const backend = shallowRef<{ name: string; device: string; software: boolean } | null>(null);
  const names = shallowRef<readonly string[]>([]);
  const generation = ref(0);
  const divergedAt = ref<number | null>(null);
  const metrics = new MetricHub();
  const records = new RecordHub();
  const scheduler = new FlushScheduler();
  const bench = benchRequested() ? new BenchRecorder() : null;

  const context: LiveRunContext = {
    client,
    runId,
    names,
    generation,
    divergedAt,
    metrics,
    records,
    scheduler,
    bench,
  };

  let pendingProgress: LiveProgress | null = null;
  let progressTimer: ReturnType<typeof setTimeout> | null = null;
  let unsubscribe: (() => void) | null = null;
  let subscribed: string | null = null;
  let lastLogId = 0;
  let loadToken = 0;
  const knownNames = new Set<string>();

  function addNames(list: Iterable<string>): void {
    let added = false;
    for (const n of list) {
      if (knownNames.has(n)) continue;
      knownNames.add(n);
      added = true;
    }
    if (added) names.value = [...knownNames];
  }

  function setProgress(p: LiveProgress): void {
    pendingProgress = p;
    if (progressTimer !== null) return;
    progressTimer = setTimeout(() => {
      progressTimer = null;
      progress.value = pendingProgress;
    }, 250);
  }

  function appendLog(entries: readonly RunLogEntry[]): void {
    const fresh = entries.filter((e) => e.id > lastLogId);
    if (fresh.length === 0) return;
    lastLogId = Math.max(lastLogId, ...fresh.map((e) => e.id));
    const next = [...log.value, ...fresh];
    log.value = next.length > LOG_LIMIT ? next.slice(-LOG_LIMIT) : next;
  }

  function onRunEvent(
    event: RunEvent | { type: 'log'; entry: RunLogEntry } | { type: 'status'; status: RunStatus },
  ): void {
    switch (event.type) {
      case 'metrics': {
        const fresh = event.points.filter((p) => !knownNames.has(p.series)).map((p) => p.series);
        if (fresh.length > 0) addNames(fresh);
        if (bench && event.emittedAt === undefined) bench.measuringFromPage();
        metrics.publish(event.points, event.emittedAt ?? (bench ? Date.now() : undefined));
        break;
      }
      case 'probes':
        records.publish(event.records);
        break;
      case 'progress':
        setProgress({
          step: event.step,
          totalSteps: event.totalSteps,
          loss: event.loss,
          accuracy: event.accuracy,
          examplesPerSec: event.examplesPerSec,
          etaSec: event.etaSec,
        });
        break;
      case 'started':
        backend.value = {
          name: event.backend.name,
          device: event.backend.device,
          software: event.backend.software,
        };
        status.value = 'running';
        // A resumed run continues from a checkpoint: steps after it are written again.
        if (detail.value !== null && (detail.value.run.lastStep ?? 0) > event.fromStep) {
          metrics.clear();
          generation.value++;
        }
        break;
      case 'paused':
        // Draw what came before the pause now, so the charts hold still once the status says paused.
        scheduler.flushAll();
        status.value = 'paused';
        break;
      case 'resumed':
        status.value = 'running';
        break;
      case 'ended':
        scheduler.flushAll();
        if (event.divergedAtStep !== undefined) divergedAt.value = event.divergedAtStep;
        void refreshDetail();
        break;
      case 'log':
        appendLog([event.entry]);
        break;
      case 'status':
        scheduler.flushAll();
        status.value = event.status;
        if (event.status !== 'running' && event.status !== 'paused') void refreshDetail();
        break;
    }
  }

  function onEvent(event: ApiEvent): void {
    if (event.topic !== 'run' || event.runId !== runId.value) return;
    onRunEvent(event.event);
  }

  async function refreshDetail(): Promise<void> {
    const id = runId.value;
    try {
      const d = await client.call('runs.get', { runId: id });
      if (id !== runId.value) return;
      detail.value = d;
      status.value = d.run.status;
      if (d.run.divergedAtStep !== null) divergedAt.value = d.run.divergedAtStep;
      addNames(d.series.map((s) => s.name));
    } catch {
      // the stream goes on; the header keeps what it had
    }
  }

  async function load(): Promise<void> {
    const token = ++loadToken;
    const id = runId.value;
    detail.value = null;
    status.value = null;
    progress.value = null;
    log.value = [];
    lastLogId = 0;
    loadError.value = null;
    backend.value = null;
    divergedAt.value = null;
    knownNames.clear();
    names.value = [];
    metrics.clear();
    if (subscribed !== null && subscribed !== id) {
      void client.call('events.unsubscribe', { topic: 'run', key: subscribed }).catch(() => undefined);
      subscribed = null;
    }
    try {
      if (subscribed === null) {
        await client.call('events.subscribe', { topic: 'run', key: id });
        subscribed = id;
      }
      const [d, entries] = await Promise.all([
        client.call('runs.get', { runId: id }),
        client.call('runs.log', { runId: id }),
      ]);
      if (token !== loadToken) return;
      detail.value = d;
      status.value = status.value ?? d.run.status;
      divergedAt.value = d.run.divergedAtStep;
      if (d.run.backend !== null) {
        backend.value = {
          name: d.run.backend,
          device: d.run.device ?? '',
          software: d.run.softwareDevice ?? false,
        };
      }
      if (d.run.lastStep !== null && progress.value === null) {
        progress.value = {
          step: d.run.lastStep,
          totalSteps: d.row.totalSteps,
          loss: d.row.final.trainLoss,
          accuracy: d.row.final.trainAccuracy,
          examplesPerSec: null,
          etaSec: null,
        };
      }
      addNames(d.series.map((s) => s.name));
      appendLog(entries);
      generation.value++;
    } catch (e) {
      if (token !== loadToken) return;
      loadError.value = errorText(e);
    }
  }

  /**
   * After the connection to serve drops and comes back (the client subscribes again), whatever was
   * emitted meanwhile was missed: read the run, the log since its last line and the charts again.
   */
  async function catchUp(): Promise<void> {
    if (detail.value === null) return void load();
    await refreshDetail();
    try {
      appendLog(await client.call('runs.log', { runId: runId.value, afterId: lastLogId }));
    } catch {
      // the next reconnect tries again
    }
    metrics.clear();
    generation.value++;
  }

  unsubscribe = client.onEvent(onEvent);
  const connection = (client as Partial<Pick<RendererClient, 'onConnection'>>).onConnection;
  let wasOpen = true;
  const stopConnection = connection?.((c) => {
    if (c.state === 'open' && !wasOpen) void catchUp();
    wasOpen = c.state === 'open';
  });
  watch(runId, () => void load(), { immediate: true });

  onBeforeUnmount(() => {
    unsubscribe?.();
    stopConnection?.();
    scheduler.dispose();
    if (progressTimer !== null) clearTimeout(progressTimer);
    if (subscribed !== null) {
      void client.call('events.unsubscribe', { topic: 'run', key: subscribed }).catch(() => undefined);
    }
  });

  return { context, detail, status, progress, log, loadError, backend, names, divergedAt, reload: load };
}
