import { describe, expect, it } from 'vitest';
import { formatTable } from '../../../../src/main/hosts/cli/table';

describe('formatTable', () => {
  it('pads every column but the last to its widest cell, two spaces apart', () => {
    const text = formatTable(
      ['id', 'status', 'name'],
      [
        ['a1b2c3', 'completed', 'vgg16-bn'],
        ['x', 'running', ''],
      ],
    );
    expect(text).toBe(
      ['id      status     name', 'a1b2c3  completed  vgg16-bn', 'x       running', ''].join('\n'),
    );
  });

  it('lines up every column start', () => {
    const lines = formatTable(
      ['n', 'value', 'unit'],
      [
        ['1', '12345.5', 'ms'],
        ['22', '7', 'images/s'],
      ],
    )
      .trimEnd()
      .split('\n');
    const starts = lines.map((l) => [l.indexOf(l.trim().split(/\s+/)[1] as string)]);
    expect(new Set(starts.map((s) => s[0])).size).toBe(1);
    expect(lines.map((l) => l.slice(0, 4))).toEqual(['n   ', '1   ', '22  ']);
  });

  it('widens a column to its header, and treats missing cells as empty', () => {
    expect(formatTable(['longheader', 'b'], [['x'], ['y', 'z']])).toBe('longheader  b\nx\ny           z\n');
  });

  it('prints only the header for no rows', () => {
    expect(formatTable(['id', 'status'], [])).toBe('id  status\n');
  });
});
