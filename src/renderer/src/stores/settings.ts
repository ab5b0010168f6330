/** The app's settings (settings.get / settings.set), shared by the views that read them. */
import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { ApiParams, Settings } from '../../../shared/api';
import { getClient } from '../api/client';
import { errorText } from '../format/errorText';

export const useSettingsStore = defineStore('settings', () => {
  const settings = ref<Settings>({});
  const loaded = ref(false);
  const error = ref<string | null>(null);

  async function load(): Promise<void> {
    try {
      settings.value = await getClient().call('settings.get', {});
      loaded.value = true;
      error.value = null;
    } catch (e) {
      error.value = errorText(e);
    }
  }

  /** Sets one setting (no value: clears it); rejects with the host's error (a bad dataset folder). */
  async function set(change: ApiParams<'settings.set'>): Promise<Settings> {
    settings.value = await getClient().call('settings.set', change);
    return settings.value;
  }

  return { settings, loaded, error, load, set };
});
