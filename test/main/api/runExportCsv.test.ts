import { describe, expect, it } from 'vitest';
import { csvCell, csvLine } from '../../../src/main/api/runExport';

/** A minimal RFC 4180 reader, to show that what csvLine writes reads back as the same cells. */
function parseCsvLine(text: string): string[] {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      cells.push(cell);
      cell = '';
    } else if (ch === '\n') break;
    else cell += ch;
  }
  cells.push(cell);
  return cells;
}

describe('csvCell', () => {
  it('leaves plain text and numbers unquoted', () => {
    expect(csvCell('train/loss')).toBe('train/loss');
    expect(csvCell(0.125)).toBe('0.125');
    expect(csvCell(-3e-7)).toBe('-3e-7');
    expect(csvCell('')).toBe('');
  });

  it('writes null as an empty cell', () => {
    expect(csvCell(null)).toBe('');
  });

  it('quotes cells with commas, quotes or line breaks, doubling the quotes', () => {
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell('cr\rlf')).toBe('"cr\rlf"');
    expect(csvCell('"')).toBe('""""');
  });
});

describe('csvLine', () => {
  it('joins cells with commas and ends with a newline', () => {
    expect(csvLine(['run', 'train/loss', 10, 2.5, null])).toBe('run,train/loss,10,2.5,\n');
  });

  it('round-trips awkward cells through an RFC 4180 reader', () => {
    const cells = ['a,b', 'say "hi"', 'plain', '', ' spaced ', 'x""y'];
    expect(parseCsvLine(csvLine(cells))).toEqual(cells);
  });
});
