/** The backend records are part of the shared contract (runs store them, hosts show them). */
export type { BackendDetails, BackendInfo, BackendReport } from '../../../shared/backends';
