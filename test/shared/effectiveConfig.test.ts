import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { experimentSchema } from '../../src/shared/config';
import { configDiff } from '../../src/shared/configKeys';
import { effectiveConfig } from '../../src/shared/effectiveConfig';

/** Configs as NormLab stored them before the readings' options (model.lp, data.targetStd, ...). */
const OLD = JSON.parse(
  readFileSync(join(import.meta.dirname, 'fixtures', 'storedConfigsBeforeReadings.json'), 'utf8'),
) as Record<string, unknown>;

describe('a stored config as today reads it', () => {
  it('fills keys added since with their defaults, so an old run does not differ from a new one', () => {
    const old = OLD['dln25-bn'];
    const now = experimentSchema.parse(old);
    // Stored as it was, the old config lacks today's keys: they show as differences.
    expect(configDiff([old, now]).map((r) => r.key)).toContain('data.targetStd');
    expect(configDiff([effectiveConfig(old), now])).toEqual([]);
  });

  it('keeps a config today refuses as it was stored', () => {
    const odd = { model: { network: 'no-such-net' } };
    expect(effectiveConfig(odd)).toBe(odd);
  });
});
