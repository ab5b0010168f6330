/**
 * Names of the Electron IPC channels (preload <-> main). Kept apart from api.ts, which loads zod: the
 * sandboxed preload bundles everything it imports, and needs only these two strings.
 */
export const IPC_CALL_CHANNEL = 'normlab:call';
export const IPC_EVENT_CHANNEL = 'normlab:event';
