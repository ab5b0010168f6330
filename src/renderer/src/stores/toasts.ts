/** In-app notifications: a run finished, failed or diverged; an action failed. */
import { defineStore } from 'pinia';
import { ref } from 'vue';
import { errorText } from '../format/errorText';

export type ToastKind = 'info' | 'ok' | 'warn' | 'error';

export interface Toast {
  id: number;
  kind: ToastKind;
  title: string;
  body?: string;
  /** A route the toast links to (the run). */
  to?: string;
}

export const useToastStore = defineStore('toasts', () => {
  const toasts = ref<Toast[]>([]);
  let nextId = 1;

  function dismiss(id: number): void {
    toasts.value = toasts.value.filter((t) => t.id !== id);
  }

  /** Shows a toast; it goes by itself after `ms` (errors stay longer). */
  function push(toast: Omit<Toast, 'id'>, ms = toast.kind === 'error' ? 12_000 : 6_000): number {
    const id = nextId++;
    toasts.value = [...toasts.value.slice(-4), { ...toast, id }];
    if (ms > 0) setTimeout(() => dismiss(id), ms);
    return id;
  }

  /** A failed action: its message, as the host said it. */
  function error(title: string, e: unknown): number {
    return push({ kind: 'error', title, body: errorText(e) });
  }

  return { toasts, push, dismiss, error };
});
