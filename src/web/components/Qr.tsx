import { useMemo } from 'preact/hooks';
import QRCode from 'qrcode';

/** A QR code drawn as one SVG path (no canvas, no data: URL), crisp on screen and on paper. */
export function Qr(props: { text: string; label: string; size?: number }) {
  const { path, size } = useMemo(() => {
    const qr = QRCode.create(props.text, { errorCorrectionLevel: 'M' });
    const n = qr.modules.size;
    let d = '';
    for (let y = 0; y < n; y++) for (let x = 0; x < n; x++) if (qr.modules.get(x, y)) d += `M${x + 4} ${y + 4}h1v1h-1z`;
    return { path: d, size: n + 8 };
  }, [props.text]);
  return (
    <svg class="qr" viewBox={`0 0 ${size} ${size}`} width={props.size ?? 160} height={props.size ?? 160} role="img" aria-label={props.label} shape-rendering="crispEdges">
      <rect width={size} height={size} fill="#fff" />
      <path d={path} fill="#000" />
    </svg>
  );
}
