export { initBackend, releaseBackends } from './initBackend';
export { describeBackends, BACKEND_ORDER } from './describeBackends';
export { AUTO_ORDER, CPU_FALLBACK_WARNING } from './autoBackend';
export { checkTrainingStep } from './trainingStepCheck';
export type { BackendDetails, BackendInfo, BackendReport } from './types';
