import { useMemo, useState } from 'preact/hooks';
import type { ComponentChildren } from 'preact';
import { checkCommand, commandDescriptor } from '../../domain/describe/index.js';
import { prepareSignSubmit, type Outcome } from '../lib/acts.js';
import { useSession } from '../lib/session.js';
import { initialData, setIn, type Path } from '../lib/values.js';
import { Field } from './Field.js';
import { HandToOtherDevice } from './Handoff.js';
import { HANDOVERS, Receipt } from '../receipt/Receipt.js';
import { ErrorNotice, Notice } from './Notice.js';

export type CommandFormProps = {
  type: string;
  title: string;
  intro?: ComponentChildren;
  /** Values the desk fills in (me as the clerk, the carrier in hand). */
  preset?: Record<string, unknown>;
  /** Top-level fields shown read-only. */
  locked?: string[];
  /** Top-level fields not shown at all (their preset or default is sent). */
  hidden?: string[];
  submitLabel?: string;
  onDone?: (outcome: Outcome, data: Record<string, unknown>) => void;
  /** What to show under the outcome (a label, a QR code). */
  renderOutcome?: (outcome: Outcome) => ComponentChildren;
};

/**
 * A command as a form, generated from its zod schema: checked in words before anything is sent,
 * prepared by the server, signed in this browser, submitted. A refusal is shown here, with its rule.
 */
export function CommandForm(props: CommandFormProps) {
  const session = useSession();
  const descriptor = useMemo(() => commandDescriptor(props.type), [props.type]);
  if (!descriptor) throw new Error(`no command ${props.type}`);
  const [data, setData] = useState(() => initialData(descriptor.fields, props.preset));
  const [problems, setProblems] = useState(new Map<string, string>());
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const idPrefix = `f-${props.type}`;

  const onChange = (path: Path, value: unknown) => {
    setData((d) => setIn(d, path, value));
    setOutcome(null);
  };

  async function submit(event: Event) {
    event.preventDefault();
    setError(null);
    setOutcome(null);
    const checked = checkCommand(props.type, data);
    if (!checked.ok) {
      setProblems(new Map(checked.problems.map((p) => [p.field, p.message])));
      return;
    }
    setProblems(new Map());
    setBusy(true);
    try {
      const result = await prepareSignSubmit(session, checked.command);
      setOutcome(result);
      props.onDone?.(result, checked.command.data);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  const hidden = new Set(props.hidden ?? []);
  const locked = new Set(props.locked ?? []);
  return (
    <form class="command card" onSubmit={submit} noValidate aria-labelledby={`${idPrefix}-title`} data-command={props.type}>
      <h3 id={`${idPrefix}-title`}>{props.title}</h3>
      {props.intro ? <div class="intro">{props.intro}</div> : null}
      <div class="fields">
        {descriptor.fields
          .filter((f) => !hidden.has(f.name))
          .map((f) => (
            <Field key={f.name} field={f} path={[f.name]} data={data} onChange={onChange} problems={problems} idPrefix={idPrefix} locked={locked.has(f.name)} />
          ))}
      </div>
      {problems.size > 0 ? (
        <Notice tone="error" title="Some fields need attention: nothing was sent">
          <ul>{[...problems.values()].map((m) => <li key={m}>{m}</li>)}</ul>
        </Notice>
      ) : null}
      <button type="submit" disabled={busy}>{busy ? 'Signing and sending…' : (props.submitLabel ?? 'Sign and submit')}</button>
      {error ? <ErrorNotice error={error} acting="this act" /> : null}
      {outcome ? (
        <Notice tone="ok" title={outcome.status === 'appended' ? 'Signed and recorded in the ledger' : `Signed; waiting for ${outcome.missing?.join(' and ')}`}>
          <p class="mono small">act {outcome.actId.slice(0, 16)}…</p>
          {props.renderOutcome ? props.renderOutcome(outcome) : outcome.status === 'pending' ? <HandToOtherDevice actId={outcome.actId} {...(outcome.missing ? { missing: outcome.missing } : {})} /> : null}
          {outcome.status === 'appended' && HANDOVERS.has(outcome.act.command.type) ? <Receipt actId={outcome.actId} act={outcome.act} /> : null}
        </Notice>
      ) : null}
    </form>
  );
}
