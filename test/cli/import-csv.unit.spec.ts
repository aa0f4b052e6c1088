import { describe, expect, it } from 'vitest';
import { CsvError, parseCsv } from '../../src/cli/csv.js';

const fieldsOf = (text: string) => parseCsv(text).map((r) => r.fields);

describe('parseCsv (RFC 4180)', () => {
  it('splits records on LF and CRLF and fields on commas, keeping empty fields', () => {
    expect(fieldsOf('a,b,c\r\n1,,3\n')).toEqual([
      ['a', 'b', 'c'],
      ['1', '', '3'],
    ]);
    expect(fieldsOf('a,b')).toEqual([['a', 'b']]);
    expect(fieldsOf('a,\n')).toEqual([['a', '']]);
  });

  it('reads quoted fields with commas, doubled quotes and line breaks, and numbers records by their first line', () => {
    const records = parseCsv('number,title\r\nC1,"Budget, 2026"\r\nC2,"The ""Red"" file"\r\nC3,"two\r\nlines"\r\nC4,""\r\n');
    expect(records).toEqual([
      { line: 1, fields: ['number', 'title'] },
      { line: 2, fields: ['C1', 'Budget, 2026'] },
      { line: 3, fields: ['C2', 'The "Red" file'] },
      { line: 4, fields: ['C3', 'two\r\nlines'] },
      { line: 6, fields: ['C4', ''] },
    ]);
  });

  it('drops a byte-order mark and blank lines, and keeps spaces as written', () => {
    expect(fieldsOf('\uFEFFnumber,title\n\n C1 ,x\n\n')).toEqual([
      ['number', 'title'],
      [' C1 ', 'x'],
    ]);
    expect(fieldsOf('')).toEqual([]);
  });

  it('refuses an unclosed quote, text after a closing quote and a bare quote, naming the line', () => {
    expect(() => parseCsv('a\n"open\nstill open')).toThrow(new CsvError(2, 'a quoted field is never closed (a " is missing)'));
    expect(() => parseCsv('a\nb\n"x"y')).toThrow(/^line 3: text after a closing quote/);
    expect(() => parseCsv('a\nsay "hi"')).toThrow(/^line 2: a " inside an unquoted field/);
  });
});
