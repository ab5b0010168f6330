/**
 * What the host offers, read once per session: presets and figures with their time estimates on
 * this machine, what each backend reported, and the app info (is the database empty?).
 */
import { defineStore } from 'pinia';
import { ref, shallowRef } from 'vue';
import type { ApiResult } from '../../../shared/api';
import { getClient } from '../api/client';
import { errorText } from '../format/errorText';

export type PresetInfo = ApiResult<'presets.list'>[number];
export type FigureInfo = ApiResult<'figures.list'>[number];
export type BackendReport = ApiResult<'backends.list'>[number];
export type AppInfo = ApiResult<'app.info'>;

export const useCatalogStore = defineStore('catalog', () => {
  const presets = shallowRef<PresetInfo[] | null>(null);
  const figures = shallowRef<FigureInfo[] | null>(null);
  const backends = shallowRef<BackendReport[] | null>(null);
  const info = shallowRef<AppInfo | null>(null);
  const error = ref<string | null>(null);
  const backendsError = ref<string | null>(null);
  const backendsLoading = ref(false);
  let experiments: Promise<void> | null = null;

  /** Presets, figures and app info (again when `force`: estimates change as runs are stored). */
  function loadExperiments(force = false): Promise<void> {
    if (experiments && !force) return experiments;
    const client = getClient();
    experiments = Promise.all([
      client.call('presets.list', {}),
      client.call('figures.list', {}),
      client.call('app.info', {}),
    ])
      .then(([p, f, i]) => {
        presets.value = p;
        figures.value = f;
        info.value = i;
        error.value = null;
      })
      .catch((e: unknown) => {
        error.value = errorText(e);
        experiments = null;
      });
    return experiments;
  }

  async function loadBackends(refresh = false): Promise<void> {
    if (backends.value && !refresh) return;
    backendsLoading.value = true;
    try {
      backends.value = await getClient().call('backends.list', { refresh });
      backendsError.value = null;
    } catch (e) {
      backendsError.value = errorText(e);
    } finally {
      backendsLoading.value = false;
    }
  }

  function preset(name: string): PresetInfo | undefined {
    return presets.value?.find((p) => p.name === name);
  }

  function figure(name: string): FigureInfo | undefined {
    return figures.value?.find((f) => f.name === name);
  }

  return {
    presets,
    figures,
    backends,
    info,
    error,
    backendsError,
    backendsLoading,
    loadExperiments,
    loadBackends,
    preset,
    figure,
  };
});
