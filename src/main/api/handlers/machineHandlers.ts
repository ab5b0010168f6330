/**
 * This machine and this app: what it is and where it keeps things, what can be run (presets and
 * figures with time estimates), the backends, the settings, the CIFAR-10 folder and its download,
 * and the event streams a session subscribes to.
 */
import { availableParallelism, cpus } from 'node:os';
import { resolve } from 'node:path';
import type { Settings } from '../../../shared/api';
import { checkCifar10Folder } from '../../runs/datasets/cifar10Check';
import { APP_VERSION } from '../appVersion';
import { listFigures, listPresets } from '../catalog';
import { checkCifar10 } from '../cifar10Location';
import type { Cifar10Downloads } from '../cifar10Downloads';
import type { ApiHandlers } from '../dispatch';
import type { ServiceContext } from '../serviceContext';
import { setSetting } from '../settings';

type MachineHandlers = Pick<
  ApiHandlers,
  | 'app.info'
  | 'presets.list'
  | 'figures.list'
  | 'backends.list'
  | 'settings.get'
  | 'settings.set'
  | 'data.checkCifar10'
  | 'data.downloadCifar10'
  | 'data.cancelDownload'
  | 'events.subscribe'
  | 'events.unsubscribe'
>;

export function machineHandlers(ctx: ServiceContext, downloads: Cifar10Downloads): MachineHandlers {
  const preferred = () => ctx.settings().defaultBackend;
  return {
    'app.info': () => ({
      version: APP_VERSION,
      host: ctx.host,
      dbPath: ctx.dbPath,
      dataDir: ctx.locations.dataDir,
      settingsFile: ctx.locations.settingsFile,
      cpu: cpus()[0]?.model.trim() ?? 'unknown CPU',
      cores: availableParallelism(),
      empty: ctx.store.isEmpty(),
    }),

    'presets.list': () => listPresets(ctx.store, preferred()),
    'figures.list': () => listFigures(ctx.store, preferred()),
    'backends.list': ({ refresh, threads }) => ctx.backends.get({ refresh, threads }),

    'settings.get': () => ctx.settings(),

    'settings.set': ({ key, value }) => {
      // A dataset folder is checked before it is saved: a wrong one is refused, saying why.
      if (key === 'cifar10Dir' && value !== undefined) checkCifar10Folder(resolve(value));
      const next: Settings = setSetting(ctx.locations.settingsFile, key, value);
      if (key === 'poolSize') ctx.runs.setPoolSize(next.poolSize ?? 1);
      return next;
    },

    'data.checkCifar10': ({ dir }) => checkCifar10(dir, ctx.places),
    'data.downloadCifar10': async ({ url, md5 }) => ({ dir: await downloads.start({ url, md5 }) }),
    'data.cancelDownload': () => {
      downloads.cancel();
      return { ok: true };
    },

    'events.subscribe': (subscription, session) => {
      session.subscribe(subscription);
      return { ok: true };
    },
    'events.unsubscribe': (subscription, session) => {
      session.unsubscribe(subscription);
      return { ok: true };
    },
  };
}
