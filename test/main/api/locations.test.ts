import envPaths from 'env-paths';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { defaultLocations } from '../../../src/main/api/locations';

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('defaultLocations', () => {
  it('NORMLAB_HOME puts data, database, config and settings under one folder', () => {
    expect(defaultLocations({ NORMLAB_HOME: '/srv/normlab' })).toEqual({
      dataDir: join('/srv/normlab', 'data'),
      configDir: join('/srv/normlab', 'config'),
      defaultDb: join('/srv/normlab', 'data', 'normlab.sqlite'),
      settingsFile: join('/srv/normlab', 'config', 'settings.json'),
    });
  });

  it('without NORMLAB_HOME (or with it empty) follows the platform convention (env-paths)', () => {
    const platform = envPaths('normlab', { suffix: '' });
    for (const env of [{}, { NORMLAB_HOME: '' }]) {
      const l = defaultLocations(env);
      expect(l.dataDir).toBe(platform.data);
      expect(l.configDir).toBe(platform.config);
      expect(l.defaultDb).toBe(join(platform.data, 'normlab.sqlite'));
      expect(l.settingsFile).toBe(join(platform.config, 'settings.json'));
    }
  });

  it('reads process.env by default', () => {
    vi.stubEnv('NORMLAB_HOME', '/tmp/normlab-home-from-env');
    expect(defaultLocations().settingsFile).toBe(
      join('/tmp/normlab-home-from-env', 'config', 'settings.json'),
    );
  });
});
