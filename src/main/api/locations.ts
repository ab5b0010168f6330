/**
 * Where NormLab keeps things, by platform convention (env-paths): the run database and downloaded
 * datasets under the user's data directory, settings under the config directory. NORMLAB_HOME moves
 * all of them under one folder (portable installs, tests); --db moves only the database.
 */
import envPaths from 'env-paths';
import { join } from 'node:path';

export interface Locations {
  dataDir: string;
  configDir: string;
  defaultDb: string;
  settingsFile: string;
}

export function defaultLocations(env: NodeJS.ProcessEnv = process.env): Locations {
  const home = env['NORMLAB_HOME'];
  const paths = home
    ? { data: join(home, 'data'), config: join(home, 'config') }
    : envPaths('normlab', { suffix: '' });
  return {
    dataDir: paths.data,
    configDir: paths.config,
    defaultDb: join(paths.data, 'normlab.sqlite'),
    settingsFile: join(paths.config, 'settings.json'),
  };
}
