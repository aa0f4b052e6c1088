import { describe, expect, it } from 'vitest';
import type { RecordedCarrierEvent } from '../../src/domain/carrier/evolve.js';
import { isPhysical, partiesOf } from '../../src/projections/access/parties.js';
import { escapeXml } from '../../src/projections/incident/svg.js';

const event = (type: string, data: Record<string, unknown>) => ({ type, data, time: '2026-11-24T10:00:00.000Z' }) as RecordedCarrierEvent;

describe('who took which part in a carrier event (R-ACCESS-1)', () => {
  it('a reader reads, the clerk who issued it handled it', () => {
    expect(partiesOf(event('CarrierIssuedToReader', { circulationId: 'C', reader: 'r', issuedBy: 'k', dueBy: '2026-11-26T10:00:00.000Z' }), ['k', 'r'])).toEqual([
      { personId: 'r', role: 'read' },
      { personId: 'k', role: 'handled' },
    ]);
  });

  it('both couriers of a pair carry it; the destruction witness witnessed it; an inventory that saw it sighted it', () => {
    const dispatch = partiesOf(event('TransportDispatched', { transportId: 'T', from: 'g', couriers: ['c1', 'c2'], destination: { registry: 'R2', person: null }, leavesPremises: true, seal: null, expectedBy: '2026-11-25T10:00:00.000Z', purpose: 'delivery' }), ['c1', 'c2', 'g']);
    expect(dispatch.filter((p) => p.role === 'carried').map((p) => p.personId)).toEqual(['c1', 'c2']);
    expect(partiesOf(event('CarrierDestroyed', { requestId: 'D', method: 'shred', destroyedBy: 'd', witness: 'w', location: 'L' }), ['d', 'w'])).toContainEqual({ personId: 'w', role: 'witnessed' });
    expect(partiesOf(event('InventoryTaken', { inventoryId: 'I', location: 'L', sighted: true, takenBy: ['t'] }), ['t'])).toEqual([{ personId: 't', role: 'sighted' }]);
    expect(partiesOf(event('InventoryTaken', { inventoryId: 'I', location: 'L', sighted: false, takenBy: ['t'] }), ['t'])).toEqual([{ personId: 't', role: 'administered' }]);
  });

  it('any signer the event does not name is listed as having signed; nobody is listed twice for one part', () => {
    const parties = partiesOf(event('CarrierRegistered', { carrierId: 'C', description: {}, holder: 'k', location: 'L', atRegistry: true, registeredBy: 'k' }), ['k', 'x']);
    expect(parties).toEqual([
      { personId: 'k', role: 'held' },
      { personId: 'k', role: 'handled' },
      { personId: 'x', role: 'signed' },
    ]);
  });

  it('approvals are paperwork; witnessing, reading and carrying are access', () => {
    expect(isPhysical('approved')).toBe(false);
    expect(isPhysical('signed')).toBe(false);
    for (const role of ['held', 'carried', 'read', 'copied', 'witnessed', 'sighted', 'handled'] as const) expect(isPhysical(role)).toBe(true);
  });
});

describe('text in reports', () => {
  it('is escaped for HTML and SVG, so a carrier title is shown, never run', () => {
    expect(escapeXml(`<script>alert('x')</script> & "q"`)).toBe('&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;');
  });
});
