import { useEffect, useState } from 'preact/hooks';
import type { UnsignedAct } from '../../domain/act.js';
import { Qr } from '../components/Qr.js';
import { useSession } from '../lib/session.js';
import { whenInWords } from '../lib/time.js';

/** Acts that hand a carrier from someone to someone: each gets a printable receipt (签收单). */
export const HANDOVERS = new Set([
  'TransferCustody',
  'DispatchTransport',
  'DeliverTransport',
  'HandOverInTransit',
  'IssueToReader',
  'ReturnFromReader',
  'HandOverDuty',
  'IssueArchiveLoan',
  'ReturnArchiveLoan',
]);

type Data = Record<string, unknown>;
const list = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : typeof v === 'string' ? [v] : []);

/** Who gave, who took, from the command's own fields. */
function partiesOf(type: string, d: Data): { from: string[]; to: string[] } {
  switch (type) {
    case 'TransferCustody':
      return { from: list(d.giver), to: list(d.receiver) };
    case 'DispatchTransport':
      return { from: list(d.giver), to: list(d.couriers) };
    case 'DeliverTransport':
      return { from: list(d.couriers), to: list(d.receiver) };
    case 'HandOverInTransit':
      return { from: list(d.fromCouriers), to: list(d.toCouriers) };
    case 'IssueToReader':
      return { from: list(d.issuedBy), to: list(d.reader) };
    case 'ReturnFromReader':
      return { from: list(d.reader), to: list(d.receivedBy) };
    case 'HandOverDuty':
      return { from: list(d.outgoing), to: list(d.incoming) };
    case 'IssueArchiveLoan':
      return { from: list(d.issuedBy), to: list(d.borrower) };
    default:
      return { from: list(d.borrower), to: list(d.receivedBy) };
  }
}

/** A receipt for one hand-over, fit for A4: carrier, from, to, when, seal, the signers by name, the act id and its QR code. */
export function Receipt(props: { actId: string; act: UnsignedAct }) {
  const session = useSession();
  const { act } = props;
  const d = act.command.data;
  const [names, setNames] = useState<Record<string, string>>({});
  useEffect(() => {
    void Promise.all(
      act.signers.map((id) => session.api.get<{ name: string }>(`/persons/${encodeURIComponent(id)}`).then((p) => [id, p.name] as const, () => [id, id] as const)),
    ).then((pairs) => setNames(Object.fromEntries(pairs)));
  }, [props.actId]);
  const { from, to } = partiesOf(act.command.type, d);
  const who = (ids: string[]) => ids.map((id) => (names[id] ? `${names[id]} (${id})` : id)).join(', ');
  const seal = (d.sealSeen ?? d.seal) as string | null | undefined;
  return (
    <section class="receipt printable" aria-label={`Receipt for act ${props.actId.slice(0, 8)}`}>
      <h2>
        Hand-over receipt · <span lang="zh-Hans">签收单</span>
      </h2>
      <div class="receipt-body">
        <dl class="facts">
          <div><dt>Act</dt><dd>{act.command.type}</dd></div>
          <div><dt>Carrier(s)</dt><dd class="mono">{[...list(d.carrierId), ...list(d.carrierIds)].join(', ')}</dd></div>
          <div><dt>From</dt><dd>{who(from)}</dd></div>
          <div><dt>To</dt><dd>{who(to)}</dd></div>
          <div><dt>When</dt><dd>{whenInWords(act.time)} <span class="mono small">({act.time})</span></dd></div>
          {typeof d.location === 'string' ? <div><dt>Where</dt><dd>{d.location}</dd></div> : null}
          {seal ? <div><dt>Seal</dt><dd class="mono">{seal}{d.sealIntact === false ? ' (broken)' : ''}</dd></div> : null}
          <div><dt>Signed by</dt><dd>{who(act.signers)}</dd></div>
          <div><dt>Act id</dt><dd class="mono small">{props.actId}</dd></div>
        </dl>
        <Qr text={`${location.origin}/acts/${props.actId}`} label="QR code linking to the act" size={132} />
      </div>
      <div class="signature-lines">
        {act.signers.map((id) => <p key={id}>{names[id] ?? id}: ______________________</p>)}
      </div>
      <button type="button" class="secondary no-print" onClick={() => print()}>Print receipt</button>
    </section>
  );
}
