import type { ActSignature } from '../../domain/act.js';
import { CanonicalText } from './canonical-text.js';
import { HASH, ISO_TIME } from './envelope-guard.js';

/**
 * What the whole-ledger verifier needs from one stored envelope, read straight from its text.
 */
export type EnvelopeFields = {
  /** The act's canonical JSON: what its signers signed, after the domain line. */
  actText: string;
  index: number;
  ledger: string;
  time: string;
  signers: string[];
  eventCount: number;
  event: { stream: string; revision: number; type: string; prevHash: string | null };
  signatures: ActSignature[];
  /** The signatures array's canonical JSON. */
  signaturesText: string;
  /** Whether the signatures are in signer order: then `signaturesText` is what the event hash covers. */
  signaturesSorted: boolean;
};

/** Per event of the act: start and end of its stream, revision, type and prevHash values. */
const EVENT_SPANS = 8;
const STREAM = 0;
const REVISION = 2;
const TYPE = 4;
const PREV_HASH = 6;

/** Which object or array a member or element belongs to. */
const ENVELOPE = 1;
const ACT = 2;
const EVENTS = 3;
const EVENT = 4;
const SIGNERS = 5;
const SIGNATURES = 6;
const SIGNATURE = 7;

/**
 * The envelope's fields when its whole text is canonical JSON (as the SQLite store writes it) and
 * it has the shape `asStoredEnvelope` demands; otherwise undefined, and the caller parses the text
 * (which also finds the right words for what is wrong with it). One pass over the text
 * (canonical-text.ts), no parse: test/verify/envelope-text.unit.spec.ts pins the answers to
 * `asStoredEnvelope(JSON.parse(text))` and the canonical form of its act.
 */
export function readEnvelopeText(text: string): EnvelopeFields | undefined {
  const reader = new EnvelopeReader(text);
  return reader.object(1, ENVELOPE) && reader.pos === text.length ? reader.fields() : undefined;
}

class EnvelopeReader extends CanonicalText {
  private actStart = -1;
  private actEnd = -1;
  private index = -1;
  private signaturesStart = -1;
  private ledger: string | undefined;
  private time: string | undefined;
  private isVersion1 = false;
  private hasCommand = false;
  private readonly signers: string[] = [];
  private readonly spans: number[] = [];
  private readonly signatures: ActSignature[] = [];
  private signer: string | undefined;
  private publicKey: string | undefined;
  private signature: string | undefined;
  private signedAt: string | undefined;
  private hasSignedAt = false;

  protected override member(context: number, keyStart: number, keyEnd: number, depth: number): boolean {
    switch (context) {
      case ENVELOPE:
        return this.envelopeMember(keyStart, keyEnd, depth);
      case ACT:
        return this.actMember(keyStart, keyEnd, depth);
      case EVENT:
        return this.eventMember(keyStart, keyEnd, depth);
      case SIGNATURE:
        return this.signatureMember(keyStart, keyEnd, depth);
      default:
        return this.value(depth);
    }
  }

  protected override element(context: number, _index: number, depth: number): boolean {
    switch (context) {
      case EVENTS:
        for (let k = 0; k < EVENT_SPANS; k++) this.spans.push(-1);
        return this.object(depth + 1, EVENT);
      case SIGNERS: {
        const start = this.pos;
        if (!this.string()) return false;
        this.signers.push(this.stringValue(start, this.pos));
        return true;
      }
      case SIGNATURES: {
        this.signer = this.publicKey = this.signature = this.signedAt = undefined;
        this.hasSignedAt = false;
        if (!this.object(depth + 1, SIGNATURE)) return false;
        const { signer, publicKey, signature, signedAt } = this;
        if (signer === undefined || publicKey === undefined || signature === undefined) return false;
        if (!this.hasSignedAt) this.signatures.push({ signer, publicKey, signature });
        else if (signedAt === undefined || !ISO_TIME.test(signedAt)) return false;
        else this.signatures.push({ signer, publicKey, signedAt, signature });
        return true;
      }
      default:
        return this.value(depth);
    }
  }

  private envelopeMember(keyStart: number, keyEnd: number, depth: number): boolean {
    const start = this.pos;
    if (this.keyIs(keyStart, keyEnd, 'act')) {
      this.actStart = start;
      if (!this.object(depth + 1, ACT)) return false;
      this.actEnd = this.pos;
      return true;
    }
    if (this.keyIs(keyStart, keyEnd, 'index')) {
      if (!this.integer()) return false;
      this.index = Number(this.text.slice(start, this.pos));
      return true;
    }
    if (this.keyIs(keyStart, keyEnd, 'signatures')) {
      this.signaturesStart = start;
      return this.array(depth + 1, SIGNATURES);
    }
    return false; // the event hash covers act, index and signatures; anything more is refused
  }

  private actMember(keyStart: number, keyEnd: number, depth: number): boolean {
    if (this.keyIs(keyStart, keyEnd, 'events')) return this.array(depth + 1, EVENTS);
    if (this.keyIs(keyStart, keyEnd, 'signers')) return this.array(depth + 1, SIGNERS);
    const start = this.pos;
    if (!this.value(depth)) return false;
    if (this.keyIs(keyStart, keyEnd, 'ledger')) this.ledger = this.stringFrom(start);
    else if (this.keyIs(keyStart, keyEnd, 'time')) this.time = this.stringFrom(start);
    else if (this.keyIs(keyStart, keyEnd, 'command')) this.hasCommand = this.text.charCodeAt(start) === 0x7b;
    else if (this.keyIs(keyStart, keyEnd, 'v')) this.isVersion1 = this.pos === start + 1 && this.text.charCodeAt(start) === 0x31;
    return true;
  }

  private eventMember(keyStart: number, keyEnd: number, depth: number): boolean {
    const start = this.pos;
    if (!this.value(depth)) return false;
    const field = this.keyIs(keyStart, keyEnd, 'stream') ? STREAM
      : this.keyIs(keyStart, keyEnd, 'revision') ? REVISION
      : this.keyIs(keyStart, keyEnd, 'type') ? TYPE
      : this.keyIs(keyStart, keyEnd, 'prevHash') ? PREV_HASH
      : -1;
    if (field >= 0) {
      const slot = this.spans.length - EVENT_SPANS + field;
      this.spans[slot] = start;
      this.spans[slot + 1] = this.pos;
    }
    return true;
  }

  private signatureMember(keyStart: number, keyEnd: number, depth: number): boolean {
    const start = this.pos;
    if (!this.value(depth)) return false;
    if (this.keyIs(keyStart, keyEnd, 'signer')) this.signer = this.stringFrom(start);
    else if (this.keyIs(keyStart, keyEnd, 'publicKey')) this.publicKey = this.stringFrom(start);
    else if (this.keyIs(keyStart, keyEnd, 'signature')) this.signature = this.stringFrom(start);
    else if (this.keyIs(keyStart, keyEnd, 'signedAt')) {
      this.hasSignedAt = true;
      this.signedAt = this.stringFrom(start);
    }
    return true;
  }

  /** The string value just read from `start`, or undefined if what was read is not a string. */
  private stringFrom(start: number): string | undefined {
    return this.text.charCodeAt(start) === 0x22 ? this.stringValue(start, this.pos) : undefined;
  }

  /** The span's text (empty when the member was absent). */
  private spanText(slot: number): string {
    const start = this.spans[slot]!;
    return start < 0 ? '' : this.text.slice(start, this.spans[slot + 1]);
  }

  /** The fields, once the whole text is read, if they have the shape the checks need. */
  fields(): EnvelopeFields | undefined {
    const { text, index, ledger, time, signers, spans, signatures } = this;
    if (this.actStart < 0 || index < 0 || this.signaturesStart < 0) return undefined;
    if (!this.isVersion1 || !this.hasCommand || ledger === undefined || time === undefined || !ISO_TIME.test(time) || signers.length === 0) return undefined;
    const eventCount = spans.length / EVENT_SPANS;
    if (index >= eventCount) return undefined;
    const at = index * EVENT_SPANS;
    const stream = this.spanString(at + STREAM);
    const type = this.spanString(at + TYPE);
    // A count: the reader has already refused anything but canonical safe integers.
    const revision = this.spanText(at + REVISION);
    if (stream === undefined || type === undefined || !/^(0|[1-9][0-9]*)$/.test(revision)) return undefined;
    const prevHashText = this.spanText(at + PREV_HASH);
    let prevHash: string | null;
    if (prevHashText === 'null') prevHash = null;
    else if (prevHashText.length === 66 && prevHashText.startsWith('"') && HASH.test(prevHashText.slice(1, 65))) prevHash = prevHashText.slice(1, 65);
    else return undefined;
    let signaturesSorted = true;
    for (let k = 1; k < signatures.length; k++) if (signatures[k]!.signer < signatures[k - 1]!.signer) signaturesSorted = false;
    return {
      actText: text.slice(this.actStart, this.actEnd),
      index,
      ledger,
      time,
      signers,
      eventCount,
      event: { stream, revision: Number(revision), type, prevHash },
      signatures,
      // The last member: it runs to the envelope's closing brace.
      signaturesText: text.slice(this.signaturesStart, text.length - 1),
      signaturesSorted,
    };
  }

  private spanString(slot: number): string | undefined {
    const start = this.spans[slot]!;
    return start >= 0 && this.text.charCodeAt(start) === 0x22 ? this.stringValue(start, this.spans[slot + 1]!) : undefined;
  }
}
