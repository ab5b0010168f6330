/** The connection to the host, as the app badge shows it. */
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import { getClient, type ConnectionStatus } from '../api/client';

export const useConnectionStore = defineStore('connection', () => {
  const client = getClient();
  const status = ref<ConnectionStatus>(client.connection());
  client.onConnection((s) => {
    status.value = s;
  });
  const open = computed(() => status.value.state === 'open');
  return { status, open, transport: client.transport };
});
