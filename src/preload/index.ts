/**
 * contextBridge: exposes the API contract as `window.normlab`, nothing else. The contract's methods
 * arrive with the app issue; for now the bridge exposes the app version so the page can show it.
 */
import { contextBridge } from 'electron';

const normlab = {
  versions: { node: process.versions.node, electron: process.versions.electron ?? '' },
};

contextBridge.exposeInMainWorld('normlab', normlab);
