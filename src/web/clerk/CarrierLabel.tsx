import { Qr } from '../components/Qr.js';

/** The printable label for a registered carrier: what the registry sticks on it, with its id as a QR code. */
export function CarrierLabel(props: { carrierId: string; title: string; classification: string; registry: string; reference: string; copyNumber: number }) {
  return (
    <div class="label printable" aria-label={`Label of carrier ${props.carrierId}`}>
      <div class={`label-band band-${props.classification}`}>{props.classification.toUpperCase()}</div>
      <div class="label-body">
        <Qr text={props.carrierId} label={`QR code of carrier id ${props.carrierId}`} size={120} />
        <dl>
          <dt>Carrier</dt>
          <dd class="mono big">{props.carrierId}</dd>
          <dt>Title</dt>
          <dd>{props.title}</dd>
          <dt>Reference · copy</dt>
          <dd>{props.reference} · no. {props.copyNumber}</dd>
          <dt>Registry</dt>
          <dd>{props.registry}</dd>
        </dl>
      </div>
      <button type="button" class="secondary no-print" onClick={() => print()}>Print label</button>
    </div>
  );
}
