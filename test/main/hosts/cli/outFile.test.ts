import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkWritable, writeFileAtomic } from '../../../../src/main/hosts/cli/outFile';
import { tempDirs } from '../../../helpers/tempDirs';
import { userErrorOf } from '../../../helpers/userError';

const dirs = tempDirs('out-file');
afterAll(() => dirs.cleanup());

describe('checkWritable', () => {
  it('accepts a new or existing file in a writable folder', () => {
    const dir = dirs.make();
    expect(() => checkWritable(join(dir, 'new.svg'))).not.toThrow();
    writeFileSync(join(dir, 'old.svg'), 'x');
    expect(() => checkWritable(join(dir, 'old.svg'))).not.toThrow();
  });

  it('says why a path cannot be written', () => {
    const dir = dirs.make();
    mkdirSync(join(dir, 'sub'));
    writeFileSync(join(dir, 'file'), 'x');
    expect(userErrorOf(() => checkWritable(join(dir, 'missing', 'a.svg'))).message).toMatch(
      /cannot write .*a\.svg: its folder does not exist\. Choose another --out file\./,
    );
    expect(userErrorOf(() => checkWritable(join(dir, 'sub'))).message).toMatch(/: it is a folder\./);
    expect(userErrorOf(() => checkWritable(join(dir, 'file', 'a.svg'))).message).toMatch(
      /a part of its path is a file/,
    );
  });
});

describe('writeFileAtomic', () => {
  it('replaces the file whole and leaves no temporary file', () => {
    const dir = dirs.make();
    const path = join(dir, 'fig.csv');
    writeFileSync(path, 'old content that is longer');
    writeFileAtomic(path, Buffer.from('new'));
    expect(readFileSync(path, 'utf8')).toBe('new');
    expect(readdirSync(dir)).toEqual(['fig.csv']);
  });

  it('fails with a user error and no leftovers when the folder is missing', () => {
    const dir = dirs.make();
    const e = userErrorOf(() => writeFileAtomic(join(dir, 'nope', 'fig.csv'), 'x'));
    expect(e.message).toMatch(/its folder does not exist/);
    expect(readdirSync(dir)).toEqual([]);
  });
});
