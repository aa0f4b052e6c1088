import { useEffect, useRef, useState } from 'preact/hooks';
import { Notice } from '../components/Notice.js';

type Detector = { detect(source: HTMLVideoElement): Promise<Array<{ rawValue: string }>> };
type DetectorClass = new (options: { formats: string[] }) => Detector;

/** The act code in a scanned text: `…#/act/<hex>` or the bare code. */
export function codeIn(text: string): string | undefined {
  const match = /(?:#\/act\/)?([0-9a-fA-F]{8,64})\s*$/.exec(text.trim());
  return match?.[1]?.toLowerCase();
}

/**
 * The second device opens the act the first prepared: by scanning the QR code it shows (the
 * browser's BarcodeDetector, where the platform has one) or by typing its 8-character code.
 */
export function OpenAct() {
  const [code, setCode] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [scanning, setScanning] = useState(false);
  const Detector = (globalThis as { BarcodeDetector?: DetectorClass }).BarcodeDetector;
  const open = (c: string | undefined) => {
    if (!c) return setProblem('The code is the 8 letters and digits shown under the QR code on the other device (0–9, A–F).');
    location.hash = `#/act/${c}`;
  };
  return (
    <section class="card" aria-labelledby="open-act">
      <h2 id="open-act">Open an act from the other device</h2>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          open(codeIn(code));
        }}
      >
        <label for="act-code">Code shown on the other device</label>
        <input id="act-code" class="code-input mono" value={code} autocomplete="off" autocapitalize="characters" spellcheck={false} onInput={(e) => setCode(e.currentTarget.value)} />
        <div class="row">
          <button type="submit">Open</button>
          {Detector ? (
            <button type="button" class="secondary" onClick={() => setScanning(true)}>Scan the QR code</button>
          ) : (
            <span class="muted">This browser cannot read QR codes: type the code.</span>
          )}
        </div>
      </form>
      {problem ? <Notice tone="error" title="That is not an act code"><p>{problem}</p></Notice> : null}
      {scanning && Detector ? <Scanner Detector={Detector} onCode={(c) => (setScanning(false), open(c))} onClose={() => setScanning(false)} /> : null}
    </section>
  );
}

function Scanner(props: { Detector: DetectorClass; onCode: (code: string) => void; onClose: () => void }) {
  const video = useRef<HTMLVideoElement>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let stream: MediaStream | undefined;
    let live = true;
    const detector = new props.Detector({ formats: ['qr_code'] });
    (async () => {
      try {
        stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' } });
        if (!video.current) return;
        video.current.srcObject = stream;
        await video.current.play();
        while (live) {
          const found = (await detector.detect(video.current)).map((b) => codeIn(b.rawValue)).find(Boolean);
          if (found) return props.onCode(found);
          await new Promise((r) => setTimeout(r, 250));
        }
      } catch {
        setError('The camera could not be used: type the code instead.');
      }
    })();
    return () => {
      live = false;
      stream?.getTracks().forEach((t) => t.stop());
    };
  }, []);
  return (
    <div class="scanner">
      <video ref={video} muted playsInline aria-label="Camera view for scanning" />
      {error ? <p role="alert">{error}</p> : null}
      <button type="button" class="secondary" onClick={props.onClose}>Stop scanning</button>
    </div>
  );
}
