import { shortCode } from '../lib/acts.js';
import { Qr } from './Qr.js';

/** Shown while an act waits for others: they open it on their own device by this QR code or short code. */
export function HandToOtherDevice(props: { actId: string; missing?: string[] }) {
  const url = `${location.origin}/#/act/${props.actId}`;
  return (
    <div class="handoff">
      <Qr text={url} label={`QR code to open act ${shortCode(props.actId)} on another device`} size={168} />
      <p>
        {props.missing?.length ? `${props.missing.join(' and ')} sign on their own device: ` : 'The others sign on their own device: '}
        scan this code, or type <strong class="mono big-code" data-testid="act-code">{shortCode(props.actId)}</strong> under “Open an act” (or find it in the inbox).
      </p>
    </div>
  );
}
