/**
 * Light or dark: the `theme` setting, or the system's preference when it is `system`. Sets
 * <html data-theme> for styles/theme.css; charts read `resolved` to pick their colours.
 */
import { defineStore } from 'pinia';
import { computed, ref, watchEffect } from 'vue';
import { useSettingsStore } from './settings';

export type ResolvedTheme = 'light' | 'dark';

export const useThemeStore = defineStore('theme', () => {
  const settings = useSettingsStore();
  const query =
    typeof window.matchMedia === 'function' ? window.matchMedia('(prefers-color-scheme: dark)') : null;
  const systemDark = ref(query?.matches ?? false);
  query?.addEventListener('change', (e) => {
    systemDark.value = e.matches;
  });
  const setting = computed(() => settings.settings.theme ?? 'system');
  const resolved = computed<ResolvedTheme>(() =>
    setting.value === 'system' ? (systemDark.value ? 'dark' : 'light') : setting.value,
  );
  watchEffect(() => {
    document.documentElement.dataset['theme'] = resolved.value;
  });
  return { setting, resolved };
});
