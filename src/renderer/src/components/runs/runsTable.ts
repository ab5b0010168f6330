/**
 * The runs table's data: the query (search, filters, server-side sort) and the rows, fetched a page
 * at a time as the user scrolls (a first paint needs one page of 200, not 10,000 rows). Rows
 * changed on the 'runs' stream are patched in place; created and deleted runs refresh the pages
 * on screen (debounced, the old rows stay until the new ones arrive).
 */
import { computed, reactive, ref, shallowRef, triggerRef } from 'vue';
import type { ApiEvent, RunQuery, RunRow, RunSortKey } from '../../../../shared/api';
import type { NormalizationName } from '../../../../shared/config';
import type { RunStatus } from '../../../../shared/runTypes';
import { getClient } from '../../api/client';

export const PAGE_SIZE = 200;

export interface RunFilters {
  search: string;
  status: RunStatus[];
  tags: string[];
  network: string;
  normalization: NormalizationName | '';
  sweepId: string;
  sort: RunSortKey;
  order: 'asc' | 'desc';
}

export function emptyFilters(): RunFilters {
  return {
    search: '',
    status: [],
    tags: [],
    network: '',
    normalization: '',
    sweepId: '',
    sort: 'created',
    order: 'desc',
  };
}

export function toQuery(f: RunFilters): RunQuery {
  return {
    ...(f.search.trim() ? { search: f.search.trim() } : {}),
    ...(f.status.length ? { status: [...f.status] } : {}),
    ...(f.tags.length ? { tags: [...f.tags] } : {}),
    ...(f.network ? { network: f.network } : {}),
    ...(f.normalization ? { normalization: f.normalization } : {}),
    ...(f.sweepId ? { sweepId: f.sweepId } : {}),
    sort: f.sort,
    order: f.order,
  };
}

/** The first page of the default view, asked for before the runs view has even loaded. */
let prefetched: { key: string; at: number; result: ReturnType<typeof listPage> } | null = null;
const PREFETCH_FRESH_MS = 5000;

function listPage(params: RunQuery) {
  return getClient().call('runs.list', params);
}

function firstPageParams(f: RunFilters): RunQuery {
  return { ...toQuery(f), offset: 0, limit: PAGE_SIZE };
}

/**
 * Starts reading the runs table's first page (default filters and sort) now: main.ts calls it when
 * the page opens on #/runs, so the rows are on their way while the view's code loads.
 */
export function prefetchRunsTable(): void {
  const params = firstPageParams(emptyFilters());
  const result = listPage(params);
  result.catch(() => undefined);
  prefetched = { key: JSON.stringify(params), at: Date.now(), result };
}

function takePrefetched(params: RunQuery): ReturnType<typeof listPage> | null {
  const p = prefetched;
  prefetched = null;
  return p && p.key === JSON.stringify(params) && Date.now() - p.at < PREFETCH_FRESH_MS ? p.result : null;
}

export function createRunsTable(onError: (e: unknown) => void) {
  const filters = reactive<RunFilters>(emptyFilters());
  const total = ref(0);
  /** Sparse: rows[i] is undefined until its page arrives. A shallowRef: 10,000 rows stay plain. */
  const rows = shallowRef<(RunRow | undefined)[]>([]);
  const loading = ref(false);
  const loadedOnce = ref(false);
  const pages = new Map<number, Promise<void>>();
  let generation = 0;
  let refreshTimer: ReturnType<typeof setTimeout> | null = null;
  let visible: [number, number] = [0, 0];

  async function fetchPage(page: number, gen: number): Promise<void> {
    const params: RunQuery = { ...toQuery(filters), offset: page * PAGE_SIZE, limit: PAGE_SIZE };
    const result = await ((page === 0 ? takePrefetched(params) : null) ?? listPage(params));
    if (gen !== generation) return;
    const next = rows.value.length === result.total ? rows.value : resize(rows.value, result.total);
    result.rows.forEach((r, i) => {
      next[page * PAGE_SIZE + i] = r;
    });
    total.value = result.total;
    rows.value = next;
    triggerRef(rows);
    loadedOnce.value = true;
  }

  function resize(list: (RunRow | undefined)[], length: number): (RunRow | undefined)[] {
    const next = list.slice(0, length);
    next.length = length;
    return next;
  }

  function ensurePage(page: number): Promise<void> {
    const known = pages.get(page);
    if (known) return known;
    const gen = generation;
    const p = fetchPage(page, gen).catch((e: unknown) => {
      if (gen === generation) pages.delete(page);
      onError(e);
    });
    pages.set(page, p);
    return p;
  }

  /** The rows [first, last] are on screen: make sure their pages are (being) read. */
  function ensureRange(first: number, last: number): void {
    visible = [first, last];
    const from = Math.floor(Math.max(0, first) / PAGE_SIZE);
    const to = Math.floor(Math.max(0, last) / PAGE_SIZE);
    for (let p = from; p <= to; p++) void ensurePage(p);
  }

  /** Reads again from the first page (a new query): keeps nothing. */
  async function reload(): Promise<void> {
    generation++;
    pages.clear();
    loading.value = true;
    try {
      rows.value = [];
      await ensurePage(0);
    } finally {
      loading.value = false;
    }
  }

  /** Reads the pages on screen again (runs were added or removed); the old rows show meanwhile. */
  function refresh(): void {
    if (refreshTimer) clearTimeout(refreshTimer);
    refreshTimer = setTimeout(() => {
      refreshTimer = null;
      generation++;
      pages.clear();
      ensureRange(visible[0], visible[1]);
    }, 250);
  }

  function onEvent(event: ApiEvent): void {
    if (event.topic !== 'runs') return;
    const { change } = event;
    if (change.kind === 'created' || change.kind === 'deleted') {
      refresh();
      return;
    }
    const row = change.row;
    if (!row) return;
    const i = rows.value.findIndex((r) => r?.id === row.id);
    if (i < 0) return;
    const next = rows.value.slice();
    next[i] = row;
    rows.value = next;
    // a sort by status or a status filter may move it: the pages on screen are read again
    if (filters.status.length || filters.sort === 'status') refresh();
  }

  function sortBy(key: RunSortKey): void {
    if (filters.sort === key) filters.order = filters.order === 'asc' ? 'desc' : 'asc';
    else {
      filters.sort = key;
      filters.order = key === 'created' || key === 'trainLoss' ? (key === 'created' ? 'desc' : 'asc') : 'asc';
      if (key === 'testAccuracy') filters.order = 'desc';
    }
  }

  const loaded = computed(() => rows.value.filter((r): r is RunRow => r !== undefined));

  return { filters, total, rows, loaded, loading, loadedOnce, ensureRange, reload, refresh, onEvent, sortBy };
}

export type RunsTable = ReturnType<typeof createRunsTable>;
