import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../../../src/main/store/index';
import { openStore } from '../../../src/main/store/index';
import { UserError } from '../../../src/shared/errors';
import { sampleConfig } from './fixtures/storeFixtures';

let store: Store;
beforeEach(() => {
  store = openStore(':memory:');
});
afterEach(() => store.close());

describe('run log', () => {
  it('appends entries with data and lists them oldest first, after an id, with a limit', () => {
    const run = store.createRun(sampleConfig());
    const other = store.createRun(sampleConfig());
    const a = store.appendLog(run, 'info', 'backend webgpu', { device: 'H100' });
    store.appendLog(other, 'warn', 'elsewhere');
    const b = store.appendLog(run, 'error', 'loss became NaN');
    expect(b).toBeGreaterThan(a);
    const all = store.listLog(run);
    expect(all.map((e) => [e.level, e.message, e.data])).toEqual([
      ['info', 'backend webgpu', { device: 'H100' }],
      ['error', 'loss became NaN', null],
    ]);
    expect(all[0]?.runId).toBe(run);
    expect(store.listLog(run, { afterId: a }).map((e) => e.id)).toEqual([b]);
    expect(store.listLog(run, { limit: 1 }).map((e) => e.id)).toEqual([a]);
  });

  it('refuses an entry for an unknown run', () => {
    expect(() => store.appendLog('nope0000', 'info', 'x')).toThrow(UserError);
  });
});
