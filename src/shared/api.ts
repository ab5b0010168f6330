/**
 * NormLab's API contract: every request, response and event that crosses from a host (Electron IPC,
 * `normlab serve`'s WebSocket, the CLI in process) to src/main/api, each with a zod schema. The
 * implementation lives in src/main/api (one place); hosts are adapters that move these payloads and
 * validate them with the schemas below, nothing else.
 *
 * Shape of the protocol:
 * - a call: `method` (a key of API_METHODS) with `params`; answered by `result` or an ErrorInfo;
 * - events: streams by topic, keyed by run or slice id, that a session subscribes to with
 *   `events.subscribe` and leaves with `events.unsubscribe`. Nothing crosses as a callback or an
 *   object with methods, so the same contract serves IPC and WebSocket.
 */
import {
  reproCatalogSchema,
  reproOptionsSchema,
  reproPlanInfoSchema,
  reproPlanParamsSchema,
  reproReportParamsSchema,
  reproReportSchema,
  reproResultsSchema,
  reproStartParamsSchema,
  reproStartResultSchema,
} from './reproduce';
import { z } from 'zod';
import { BACKENDS, NORMALIZATIONS, experimentSchema } from './config';
import { anyNumber, backendInfoSchema, errorInfoSchema, runEventSchema } from './events';
import {
  EXPORT_FORMATS,
  exportSizeSchema,
  figureFileSchema,
  figureSpecSchema,
  plotFigureSchema,
  templateInfoSchema,
} from './plots';
import { PROBE_NAMES, probeRecordSchema, type ProbeName } from './probes';
import { RUN_LOG_LEVELS, RUN_STATUSES } from './runTypes';
import { sliceSettingsSchema } from './slices';

// ---- building blocks ---------------------------------------------------------------------------

const id = z.string().min(1).max(200);
const step = z.number().int().nonnegative();
const nullableNumber = anyNumber.nullable();
const timestamp = z.number();

/** Worker threads for wasm: a count 1-8, or `auto` (tiny networks on one thread, else every core). */
export const threadsSchema = z.union([z.literal('auto'), z.number().int().min(1).max(8)]);
export type Threads = z.infer<typeof threadsSchema>;

/**
 * What to run: a preset (`vgg16-bn-cpu`, or one run of a figure `fig4-cpu/bn`), a whole experiment
 * object (as the New experiment form edits it), or a JSON file on the host's machine (the CLI's
 * --config). `overrides` are `key=value` strings applied in order (the CLI's --set). Backend and
 * thread count are typed fields of the request, never overrides or environment variables.
 */
export const experimentRequestSchema = z
  .object({
    preset: z.string().min(1).optional(),
    config: z.record(z.string(), z.unknown()).optional(),
    configFile: z.string().min(1).optional(),
    overrides: z.array(z.string()).default([]),
    backend: z.enum(BACKENDS).optional(),
    threads: threadsSchema.optional(),
    /** CIFAR-10 folder for this run (else the config's data.dir, then the cifar10Dir setting). */
    dataDir: z.string().min(1).optional(),
    /** Stored name; default: the preset's or config's name. */
    name: z.string().max(200).optional(),
  })
  .strict()
  .refine((r) => [r.preset, r.config, r.configFile].filter((v) => v !== undefined).length === 1, {
    message: 'give exactly one of preset, config or configFile',
  });
export type ExperimentRequest = z.input<typeof experimentRequestSchema>;

/** The run table's sortable columns. */
export const RUN_SORT_KEYS = [
  'created',
  'name',
  'status',
  'network',
  'normalization',
  'lr',
  'seed',
  'steps',
  'trainLoss',
  'testAccuracy',
] as const;
export type RunSortKey = (typeof RUN_SORT_KEYS)[number];

export const runQuerySchema = z
  .object({
    /** Free text over id, name, tags, notes, network, normalization, backend. */
    search: z.string().max(500).optional(),
    status: z.array(z.enum(RUN_STATUSES)).optional(),
    tags: z.array(z.string()).optional(),
    network: z.string().optional(),
    normalization: z.enum(NORMALIZATIONS).optional(),
    sweepId: z.string().optional(),
    sort: z.enum(RUN_SORT_KEYS).default('created'),
    order: z.enum(['asc', 'desc']).default('desc'),
    offset: z.number().int().nonnegative().default(0),
    limit: z.number().int().min(1).max(10_000).default(200),
  })
  .strict();
export type RunQuery = z.input<typeof runQuerySchema>;

/** One row of the runs table: what it shows without reading any series point. */
export const runRowSchema = z.object({
  id: z.string(),
  name: z.string(),
  status: z.enum(RUN_STATUSES),
  network: z.string(),
  normalization: z.string(),
  optimizer: z.string(),
  lr: z.number(),
  batchSize: z.number(),
  seed: z.number(),
  dataset: z.string(),
  totalSteps: z.number(),
  lastStep: step.nullable(),
  backend: z.string().nullable(),
  device: z.string().nullable(),
  softwareDevice: z.boolean().nullable(),
  createdAt: timestamp,
  startedAt: timestamp.nullable(),
  endedAt: timestamp.nullable(),
  divergedAtStep: step.nullable(),
  error: z.string().nullable(),
  sweepId: z.string().nullable(),
  parentId: z.string().nullable(),
  tags: z.array(z.string()),
  notes: z.string(),
  /** Last stored values (null when the series has none). */
  final: z.object({
    trainLoss: nullableNumber,
    trainAccuracy: nullableNumber,
    testAccuracy: nullableNumber,
  }),
});
export type RunRow = z.infer<typeof runRowSchema>;

export const runRecordSchema = z.object({
  id: z.string(),
  name: z.string(),
  config: z.unknown(),
  status: z.enum(RUN_STATUSES),
  backend: z.string().nullable(),
  device: z.string().nullable(),
  softwareDevice: z.boolean().nullable(),
  seed: z.number(),
  createdAt: timestamp,
  startedAt: timestamp.nullable(),
  endedAt: timestamp.nullable(),
  lastStep: step.nullable(),
  error: z.string().nullable(),
  divergedAtStep: step.nullable(),
  parentId: z.string().nullable(),
  resumedFromStep: step.nullable(),
  sweepId: z.string().nullable(),
});

export const seriesStatsSchema = z.object({
  name: z.string(),
  firstStep: step,
  lastStep: step,
  points: z.number().int().nonnegative(),
  min: nullableNumber,
  max: nullableNumber,
  last: nullableNumber,
});
export type SeriesStats = z.infer<typeof seriesStatsSchema>;

export const probeSummarySchema = z.object({
  probe: z.enum(PROBE_NAMES as [ProbeName, ...ProbeName[]]),
  records: z.number().int().nonnegative(),
  firstStep: step,
  lastStep: step,
  errors: z.number().int().nonnegative(),
  lastError: z.string().nullable(),
});

const sliceStatusSchema = z.enum(['queued', 'running', 'stopped', 'completed', 'failed']);

export const sliceJobSchema = z.object({
  id: z.string(),
  runId: z.string(),
  step,
  settings: z.unknown(),
  status: sliceStatusSchema,
  createdAt: timestamp,
  updatedAt: timestamp,
  error: z.string().nullable(),
  done: z.number().int().nonnegative(),
  total: z.number().int().nonnegative(),
});

export const checkpointInfoSchema = z.object({ step, createdAt: timestamp, size: z.number() });

export const runDetailSchema = z.object({
  run: runRecordSchema,
  row: runRowSchema,
  series: z.array(seriesStatsSchema),
  probes: z.array(probeSummarySchema),
  slices: z.array(sliceJobSchema),
  checkpoints: z.array(checkpointInfoSchema),
});
export type RunDetail = z.infer<typeof runDetailSchema>;

/** One bucket of a downsampled series (shared/runTypes.ts SeriesBucket). */
export const seriesBucketSchema = z.object({
  stepFrom: step,
  stepTo: step,
  min: nullableNumber,
  minStep: step.nullable(),
  max: nullableNumber,
  maxStep: step.nullable(),
  last: anyNumber,
  lastStep: step,
});

export const runLogEntrySchema = z.object({
  id: z.number().int(),
  runId: z.string(),
  time: timestamp,
  level: z.enum(RUN_LOG_LEVELS),
  message: z.string(),
  data: z.unknown(),
});

// An intersection: probeRecordSchema is a union (one variant per probe), which has no extend().
export const storedProbeRecordSchema = probeRecordSchema.and(z.object({ time: timestamp }));

export const backendReportSchema = z.object({
  name: z.string(),
  available: z.boolean(),
  device: z.string().optional(),
  software: z.boolean().optional(),
  reason: z.string().optional(),
  versions: z.record(z.string(), z.string()),
  details: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
  probeMs: z.number(),
});

/** The app's settings (src/main/api/settings.ts keeps them in the config directory). */
export const THEMES = ['system', 'light', 'dark'] as const;
export const settingsSchema = z
  .object({
    /** Folder with the CIFAR-10 binary files (cifar-10-batches-bin). */
    cifar10Dir: z.string().optional(),
    /** Database used when --db is not given (takes effect at the next start). */
    db: z.string().optional(),
    /** Backend of runs that do not name one. */
    defaultBackend: z.enum(BACKENDS).optional(),
    /** Runs trained at once (default 1 on a CPU, where one run already uses every core). */
    poolSize: z.number().int().min(1).max(16).optional(),
    theme: z.enum(THEMES).optional(),
  })
  .strict();
export type Settings = z.infer<typeof settingsSchema>;
export type SettingKey = keyof Settings;

/** A dataset folder checked: what was found, or what is wrong and what to do. */
export const datasetCheckSchema = z.object({
  dir: z.string(),
  ok: z.boolean(),
  trainFiles: z.array(z.string()),
  trainImages: z.number().int().nonnegative(),
  testImages: z.number().int().nonnegative(),
  /** Present when not ok: names the file and what is wrong with it. */
  error: z.string().optional(),
});

export const presetInfoSchema = z.object({
  name: z.string(),
  description: z.string(),
  /** The figure it belongs to (`fig4-cpu`), if any. */
  figure: z.string().nullable(),
  config: z.unknown(),
  /**
   * Estimated wall time on this machine (seconds), from the newest stored run of the same network,
   * width, normalization (and backend, when one is named): its examples/s and probe times; null when
   * there is none. `estimateBasis` says which run it came from, or why there is no estimate.
   */
  estimateSec: z.number().nullable(),
  estimateBasis: z.string(),
});

export const figureInfoSchema = z.object({
  name: z.string(),
  figure: z.string(),
  scale: z.enum(['paper', 'cpu']),
  description: z.string(),
  runs: z.array(z.object({ name: z.string(), label: z.string() })),
  estimateSec: z.number().nullable(),
});

export const sweepGridSchema = z
  .object({
    lr: z.array(z.number().positive()).min(1).max(50).optional(),
    normalization: z.array(z.enum(NORMALIZATIONS)).min(1).max(6).optional(),
    seed: z.array(z.number().int().nonnegative()).min(1).max(100).optional(),
  })
  .strict();

const runIdParams = z.object({ runId: id }).strict();
const empty = z.object({}).strict();
const ok = z.object({ ok: z.literal(true) });

// ---- events ------------------------------------------------------------------------------------

/** A change to the run table: a run created, its status changed, it was edited or deleted. */
export const runChangeSchema = z.object({
  kind: z.enum(['created', 'status', 'updated', 'deleted']),
  runId: z.string(),
  /** Present except for `deleted`. */
  row: runRowSchema.optional(),
});

/** What a run stream carries: the engine's events, plus its log lines and status changes. */
export const runStreamEventSchema = z.union([
  runEventSchema,
  z.object({ type: z.literal('log'), entry: runLogEntrySchema }),
  z.object({ type: z.literal('status'), status: z.enum(RUN_STATUSES) }),
]);

/** `done` / `total`: grid points stored so far (earlier attempts included), and in all. */
const sliceProgress = {
  done: z.number().int().nonnegative().optional(),
  total: z.number().int().nonnegative().optional(),
};

export const sliceEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('started'), backend: backendInfoSchema, ...sliceProgress }),
  z.object({
    type: z.literal('point'),
    i: z.number().int(),
    j: z.number().int(),
    loss: anyNumber,
    ...sliceProgress,
  }),
  z.object({
    type: z.literal('ended'),
    outcome: z.enum(['completed', 'stopped', 'failed']),
    error: errorInfoSchema.optional(),
    ...sliceProgress,
  }),
]);

export const downloadEventSchema = z.object({
  received: z.number().nonnegative(),
  total: z.number().nonnegative().nullable(),
  done: z.boolean(),
  dir: z.string().optional(),
  error: errorInfoSchema.optional(),
});

export const apiEventSchema = z.discriminatedUnion('topic', [
  z.object({ topic: z.literal('run'), runId: z.string(), event: runStreamEventSchema }),
  z.object({ topic: z.literal('runs'), change: runChangeSchema }),
  z.object({ topic: z.literal('slice'), jobId: z.string(), event: sliceEventSchema }),
  z.object({ topic: z.literal('download'), event: downloadEventSchema }),
]);
export type ApiEvent = z.infer<typeof apiEventSchema>;
export type ApiTopic = ApiEvent['topic'];

/** `run` and `slice` streams are keyed by their id; `runs` and `download` are one stream each. */
export const subscriptionSchema = z.discriminatedUnion('topic', [
  z.object({ topic: z.literal('run'), key: id }).strict(),
  z.object({ topic: z.literal('slice'), key: id }).strict(),
  z.object({ topic: z.literal('runs') }).strict(),
  z.object({ topic: z.literal('download') }).strict(),
]);
export type Subscription = z.infer<typeof subscriptionSchema>;

// ---- methods -----------------------------------------------------------------------------------

function method<P extends z.ZodType, R extends z.ZodType>(params: P, result: R) {
  return { params, result };
}

export const API_METHODS = {
  /** Where this host keeps things, and what it is. */
  'app.info': method(
    empty,
    z.object({
      version: z.string(),
      host: z.enum(['electron', 'serve', 'cli']),
      dbPath: z.string(),
      dataDir: z.string(),
      settingsFile: z.string(),
      cpu: z.string(),
      cores: z.number().int(),
      /** True when the database holds no run yet (the app offers a first experiment). */
      empty: z.boolean(),
    }),
  ),

  // experiments
  'presets.list': method(empty, z.array(presetInfoSchema)),
  'figures.list': method(empty, z.array(figureInfoSchema)),
  /** What each backend reported on this machine (cached; `refresh` probes again). */
  'backends.list': method(
    z
      .object({
        refresh: z.boolean().default(false),
        /** The wasm thread count to describe (default: what runs use without one). */
        threads: threadsSchema.optional(),
      })
      .strict(),
    z.array(backendReportSchema),
  ),
  /** The full config a request describes, validated (dataset folder included), without running it. */
  'experiments.validate': method(experimentRequestSchema, z.object({ config: experimentSchema })),

  // runs
  /** Queues a run; it starts when a worker of the pool is free. */
  'runs.start': method(experimentRequestSchema, z.object({ runId: z.string() })),
  /** Queues the grid: every combination of the listed values over the base experiment. */
  'runs.startSweep': method(
    z.object({ experiment: experimentRequestSchema, grid: sweepGridSchema }).strict(),
    z.object({ sweepId: z.string(), runIds: z.array(z.string()) }),
  ),
  /** Queues every run of a paper figure (`fig4-cpu`) as one sweep. */
  'runs.startFigure': method(
    z
      .object({
        figure: z.string().min(1),
        overrides: z.array(z.string()).default([]),
        backend: z.enum(BACKENDS).optional(),
        threads: threadsSchema.optional(),
        dataDir: z.string().min(1).optional(),
      })
      .strict(),
    z.object({ sweepId: z.string(), runIds: z.array(z.string()) }),
  ),
  /** Continues a stopped, interrupted or failed run from its latest checkpoint (queued like a start). */
  'runs.resume': method(
    z.object({ runId: id, backend: z.enum(BACKENDS).optional(), threads: threadsSchema.optional() }).strict(),
    z.object({ runId: z.string() }),
  ),
  'runs.pause': method(runIdParams, ok),
  'runs.continue': method(runIdParams, ok),
  /** Stops after the current step with a checkpoint (resumable); a queued run leaves the queue. */
  'runs.stop': method(runIdParams, ok),
  'runs.list': method(runQuerySchema, z.object({ total: z.number().int(), rows: z.array(runRowSchema) })),
  'runs.get': method(runIdParams, runDetailSchema),
  'runs.update': method(
    z
      .object({
        runId: id,
        name: z.string().max(200).optional(),
        tags: z.array(z.string().trim().min(1).max(64)).max(50).optional(),
        notes: z.string().max(100_000).optional(),
      })
      .strict(),
    runRowSchema,
  ),
  /** Every tag in use, with how many runs carry it. */
  'runs.tags': method(empty, z.array(z.object({ tag: z.string(), count: z.number().int() }))),
  /** What deleting these runs removes, for the confirmation. */
  'runs.deletePreview': method(
    z.object({ runIds: z.array(id).min(1).max(10_000) }).strict(),
    z.object({
      runs: z.array(z.object({ id: z.string(), name: z.string(), status: z.enum(RUN_STATUSES) })),
      points: z.number().int(),
      probeRecords: z.number().int(),
      checkpoints: z.number().int(),
      checkpointBytes: z.number().int(),
      slices: z.number().int(),
      /** Runs that are queued, running or paused: they are stopped first. */
      active: z.array(z.string()),
    }),
  ),
  'runs.delete': method(
    z.object({ runIds: z.array(id).min(1).max(10_000) }).strict(),
    z.object({ deleted: z.array(z.string()) }),
  ),
  'runs.log': method(
    z
      .object({
        runId: id,
        afterId: z.number().int().nonnegative().optional(),
        limit: z.number().int().min(1).max(10_000).default(1000),
      })
      .strict(),
    z.array(runLogEntrySchema),
  ),

  // chart reads
  /**
   * Series downsampled server-side for a chart `width` pixels wide: per bucket min, max and last
   * (first and last points always included), over [fromStep, toStep] (default the whole series).
   */
  'series.read': method(
    z
      .object({
        runId: id,
        names: z.array(z.string().min(1)).min(1).max(100),
        fromStep: step.optional(),
        toStep: step.optional(),
        width: z.number().int().min(1).max(10_000),
      })
      .strict(),
    z.object({
      series: z.array(
        z.object({
          name: z.string(),
          /** Points stored in the range, and buckets returned. */
          points: z.number().int().nonnegative(),
          buckets: z.array(seriesBucketSchema),
        }),
      ),
    }),
  ),
  'probes.records': method(
    z
      .object({
        runId: id,
        probe: z.enum(PROBE_NAMES as [ProbeName, ...ProbeName[]]).optional(),
        fromStep: step.optional(),
        toStep: step.optional(),
      })
      .strict(),
    z.array(storedProbeRecordSchema),
  ),

  // compare and figures (shared/plots.ts)
  /** The series the runs have (for the compare view's metric picker): how many of the runs have each. */
  'compare.metrics': method(
    z.object({ runIds: z.array(id).min(1).max(200) }).strict(),
    z.array(z.object({ name: z.string(), runs: z.number().int().positive() })),
  ),
  /** The paper figure templates, each with the stored runs that fill its slots by default. */
  'figures.templates': method(empty, z.array(templateInfoSchema)),
  /** A compare view or a filled template as data, read for panels about `width` pixels wide. */
  'figures.build': method(
    z.object({ spec: figureSpecSchema, width: z.number().int().min(50).max(10_000).default(800) }).strict(),
    plotFigureSchema,
  ),
  /**
   * A figure as a file: SVG/PDF (vector, text as text, fonts embedded in the PDF), PNG at `dpi`, or the
   * plotted data as CSV/JSON; rendered in the main process in print style.
   */
  'figures.export': method(
    z
      .object({ spec: figureSpecSchema, format: z.enum(EXPORT_FORMATS), size: exportSizeSchema.prefault({}) })
      .strict(),
    figureFileSchema,
  ),

  // reproduce the paper (shared/reproduce.ts)
  /** The scales, readings, figures and claims a reproduction can take. */
  'reproduce.catalog': method(empty, reproCatalogSchema),
  /** The runs a reproduction trains, where each stands in the store, and the time left on this machine. */
  'reproduce.plan': method(
    reproPlanParamsSchema.extend({ threads: threadsSchema.optional() }).strict(),
    reproPlanInfoSchema,
  ),
  /**
   * Queues what is left: new runs stored and tagged, interrupted ones resumed, finished ones reused
   * (tagged). Answers at once; runs report on the `run` topic.
   */
  'reproduce.start': method(
    reproStartParamsSchema.extend({ threads: threadsSchema.optional() }).strict(),
    reproStartResultSchema,
  ),
  /** Every claim's verdict with its numbers, over the runs done so far. */
  'reproduce.results': method(reproOptionsSchema, reproResultsSchema),
  /** Writes the report (HTML, every figure as SVG/PNG/PDF, results JSON) into a folder on this machine. */
  'reproduce.report': method(reproReportParamsSchema, reproReportSchema),

  // loss slices
  'slices.start': method(
    z
      .object({
        runId: id,
        step: step.optional(),
        settings: sliceSettingsSchema.optional(),
        threads: threadsSchema.optional(),
      })
      .strict(),
    z.object({ jobId: z.string() }),
  ),
  'slices.resume': method(
    z.object({ jobId: id, threads: threadsSchema.optional() }).strict(),
    z.object({ jobId: z.string() }),
  ),
  'slices.stop': method(z.object({ jobId: id }).strict(), ok),
  'slices.list': method(runIdParams, z.array(sliceJobSchema)),
  'slices.points': method(
    z.object({ jobId: id }).strict(),
    z.array(
      z.object({
        i: z.number().int(),
        j: z.number().int(),
        alpha: z.number(),
        beta: z.number(),
        loss: anyNumber,
      }),
    ),
  ),

  // machine and settings
  'settings.get': method(empty, settingsSchema),
  /** Sets (or with `value` absent, clears) one setting; a dataset folder is checked first. */
  'settings.set': method(
    z.discriminatedUnion('key', [
      z.object({ key: z.literal('cifar10Dir'), value: z.string().min(1).optional() }).strict(),
      z.object({ key: z.literal('db'), value: z.string().min(1).optional() }).strict(),
      z.object({ key: z.literal('defaultBackend'), value: z.enum(BACKENDS).optional() }).strict(),
      z.object({ key: z.literal('poolSize'), value: z.number().int().min(1).max(16).optional() }).strict(),
      z.object({ key: z.literal('theme'), value: z.enum(THEMES).optional() }).strict(),
    ]),
    settingsSchema,
  ),
  /** Checks a CIFAR-10 folder without changing anything (default: the folder runs would use). */
  'data.checkCifar10': method(z.object({ dir: z.string().min(1).optional() }).strict(), datasetCheckSchema),
  /**
   * Downloads CIFAR-10 into the data directory (resuming an interrupted download); progress comes on
   * the `download` topic. A mirror `url` needs the archive's `md5`. Answers when it is ready.
   */
  'data.downloadCifar10': method(
    z
      .object({
        url: z.url().optional(),
        md5: z
          .string()
          .regex(/^[0-9a-fA-F]{32}$/)
          .optional(),
      })
      .strict()
      .refine((p) => p.url === undefined || p.md5 !== undefined, {
        message: 'a mirror url needs the md5 of its archive, so the download can be verified',
      }),
    z.object({ dir: z.string() }),
  ),
  'data.cancelDownload': method(empty, ok),
  /** The worker pool: its size, the runs training and the runs waiting, in order. */
  'queue.get': method(
    empty,
    z.object({ poolSize: z.number().int(), running: z.array(z.string()), queued: z.array(z.string()) }),
  ),

  // event streams
  'events.subscribe': method(subscriptionSchema, ok),
  'events.unsubscribe': method(subscriptionSchema, ok),
} as const;

export type ApiMethods = typeof API_METHODS;
export type ApiMethodName = keyof ApiMethods;
/** What a caller passes (defaults may be left out). */
export type ApiParams<M extends ApiMethodName> = z.input<ApiMethods[M]['params']>;
/** What the implementation receives (defaults filled in). */
export type ApiParsedParams<M extends ApiMethodName> = z.output<ApiMethods[M]['params']>;
export type ApiResult<M extends ApiMethodName> = z.output<ApiMethods[M]['result']>;
export const API_METHOD_NAMES = Object.keys(API_METHODS) as ApiMethodName[];

export function isApiMethod(name: unknown): name is ApiMethodName {
  return typeof name === 'string' && Object.hasOwn(API_METHODS, name);
}

/** The one shape every client has: the renderer's, over IPC or WebSocket, and the CLI's in process. */
export interface NormLabClient {
  call<M extends ApiMethodName>(method: M, params: ApiParams<M>): Promise<ApiResult<M>>;
  /** Every event of the session's subscriptions; returns the function that stops listening. */
  onEvent(listener: (event: ApiEvent) => void): () => void;
}

// ---- the wire ----------------------------------------------------------------------------------

/** A call as it travels (WebSocket frame, IPC invoke argument). */
export const wireCallSchema = z
  .object({
    kind: z.literal('call'),
    id: z.number().int().nonnegative(),
    method: z.string(),
    params: z.unknown(),
  })
  .strict();
export type WireCall = z.infer<typeof wireCallSchema>;

/** The answer to a call: its result, or an error that says what to do. */
export type WireReply =
  | { kind: 'reply'; id: number; ok: true; result: unknown }
  | { kind: 'reply'; id: number; ok: false; error: z.infer<typeof errorInfoSchema> };

export type WireMessage = WireReply | { kind: 'event'; event: ApiEvent };

/**
 * What the Electron preload exposes as `window.normlab` (and nothing else): calls answer with a
 * settled reply instead of a rejection, since Error objects do not cross contextBridge intact.
 */
export interface NormLabBridge {
  call(
    method: string,
    params: unknown,
  ): Promise<{ ok: true; result: unknown } | { ok: false; error: z.infer<typeof errorInfoSchema> }>;
  onEvent(listener: (event: ApiEvent) => void): () => void;
}

export { IPC_CALL_CHANNEL, IPC_EVENT_CHANNEL } from './ipcChannels';

export { decodeWire, encodeWire } from './wireCodec';
