/**
 * What the live run view shares with its charts (provide/inject): the client, the run, the series
 * names known so far, and the hubs that hand each chart the live points and probe records it asked
 * for. The hubs only route; charts buffer and redraw through the shared FlushScheduler.
 */
import { inject, type InjectionKey, type Ref, type ShallowRef } from 'vue';
import type { NormLabClient } from '../../../../shared/api';
import type { MetricPoint } from '../../../../shared/events';
import type { ProbeName, ProbeRecord } from '../../../../shared/probes';
import type { FlushScheduler } from '../../charts/flushScheduler';
import type { BenchRecorder } from './benchRecorder';

export type PointsListener = (points: readonly MetricPoint[], emittedAt: number | undefined) => void;
export type RecordsListener = (records: readonly ProbeRecord[]) => void;

/**
 * Routes live metric points to the charts that listen (each filters by name itself). The last few
 * events are replayed to a new listener: a chart that mounts (or a panel that opens) while points are
 * on their way to the store still gets them; its LiveSeries drops what its read already had.
 */
export class MetricHub {
  private readonly listeners = new Set<PointsListener>();
  private recent: { points: readonly MetricPoint[]; emittedAt: number | undefined }[] = [];

  constructor(private readonly replay = 256) {}

  listen(listener: PointsListener): () => void {
    this.listeners.add(listener);
    for (const e of this.recent) listener(e.points, undefined);
    return () => void this.listeners.delete(listener);
  }

  publish(points: readonly MetricPoint[], emittedAt?: number): void {
    this.recent.push({ points, emittedAt });
    if (this.recent.length > this.replay * 2) this.recent = this.recent.slice(-this.replay);
    for (const l of this.listeners) l(points, emittedAt);
  }

  /** Forgets the replay buffer (the run's history was replaced). */
  clear(): void {
    this.recent = [];
  }
}

/** Routes live probe records by probe name. */
export class RecordHub {
  private readonly listeners = new Map<ProbeName, Set<RecordsListener>>();

  listen(probe: ProbeName, listener: RecordsListener): () => void {
    let set = this.listeners.get(probe);
    if (!set) {
      set = new Set();
      this.listeners.set(probe, set);
    }
    set.add(listener);
    return () => void set.delete(listener);
  }

  publish(records: readonly ProbeRecord[]): void {
    const byProbe = new Map<ProbeName, ProbeRecord[]>();
    for (const r of records) {
      const list = byProbe.get(r.probe) ?? [];
      list.push(r);
      byProbe.set(r.probe, list);
    }
    for (const [probe, list] of byProbe) for (const l of this.listeners.get(probe) ?? []) l(list);
  }
}

export interface LiveRunContext {
  client: NormLabClient;
  runId: Ref<string>;
  /** Every series name the run has (stored, then seen live), in order of appearance. */
  names: ShallowRef<readonly string[]>;
  /** Increases when the stored history changes under the charts (a resumed run): re-read all. */
  generation: Ref<number>;
  divergedAt: Ref<number | null>;
  metrics: MetricHub;
  records: RecordHub;
  scheduler: FlushScheduler;
  bench: BenchRecorder | null;
}

export const LIVE_RUN: InjectionKey<LiveRunContext> = Symbol('live-run');

export function useLiveRunContext(): LiveRunContext {
  const ctx = inject(LIVE_RUN);
  if (!ctx) throw new Error('a live chart needs the live run view around it');
  return ctx;
}
