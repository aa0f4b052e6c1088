import { describe, expect, it } from 'vitest';
import { parseCsv } from '../../src/cli/csv.js';
import { columnsOf, registerData } from '../../src/cli/register-rows.js';

describe('register column mapping', () => {
  it('matches headers whatever their case, spaces or dashes, and builds RegisterCarrier data', () => {
    const [header, line] = parseCsv('Number,TITLE,classification,Kind,originator,reference,Copy-Number,items,holder,location\nC1, Budget ,secret,document,Central Office,2026,2,x3,clerk,R1 safe 1\n');
    const row = registerData(line!, columnsOf(header!), 'R1', 'clerk');
    expect(row).toEqual({
      line: 2,
      carrierId: 'C1',
      data: {
        carrierId: 'C1',
        registeredBy: 'clerk',
        holder: 'clerk',
        location: 'R1 safe 1',
        // A count that is not a whole number stays text, for the schema to refuse in words.
        description: { registry: 'R1', title: 'Budget', classification: 'secret', kind: 'document', originator: 'Central Office', reference: '2026', copyNumber: 2, itemCount: 'x3' },
      },
    });
  });

  it('leaves empty cells out, and marks a line with the wrong number of fields', () => {
    const [header, short, empty] = parseCsv('number,title,holder\nC2,Memo\nC3,,clerk\n');
    const columns = columnsOf(header!);
    expect(registerData(short!, columns, 'R1', 'clerk')).toMatchObject({ line: 2, carrierId: 'C2', misshapen: 'the line has 2 fields; the header has 3' });
    expect(registerData(empty!, columns, 'R1', 'clerk').data).toEqual({ carrierId: 'C3', holder: 'clerk', registeredBy: 'clerk', description: { registry: 'R1' } });
  });

  it('refuses an unknown or repeated column, and a register without numbers', () => {
    expect(() => columnsOf(parseCsv('number,colour\n')[0]!)).toThrow(/unknown column "colour"/);
    expect(() => columnsOf(parseCsv('number,Title,title\n')[0]!)).toThrow(/column "title" appears twice/);
    expect(() => columnsOf(parseCsv('title\n')[0]!)).toThrow(/no "number" column/);
  });
});
