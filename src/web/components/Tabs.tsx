import { useState } from 'preact/hooks';
import type { ComponentChildren } from 'preact';

/** A desk's sections as a row of buttons; one section shown at a time (keyboard: Tab and Enter). */
export function Sections(props: { label: string; sections: Array<{ id: string; label: string; render: () => ComponentChildren }> }) {
  const [current, setCurrent] = useState(props.sections[0]!.id);
  const section = props.sections.find((s) => s.id === current) ?? props.sections[0]!;
  return (
    <>
      <div class="sections" role="group" aria-label={props.label}>
        {props.sections.map((s) => (
          <button key={s.id} type="button" aria-pressed={s.id === current} onClick={() => setCurrent(s.id)} data-section={s.id}>
            {s.label}
          </button>
        ))}
      </div>
      <div class="section-body">{section.render()}</div>
    </>
  );
}

/** A choice among several commands, each shown as its generated form. */
export function CommandChooser(props: { label: string; commands: Array<{ type: string; label: string }>; render: (type: string) => ComponentChildren }) {
  const [type, setType] = useState(props.commands[0]!.type);
  const id = `choose-${props.label.replace(/\W+/g, '-')}`;
  return (
    <div>
      <label for={id}>{props.label}</label>
      <select id={id} value={type} onChange={(e) => setType(e.currentTarget.value)}>
        {props.commands.map((c) => <option key={c.type} value={c.type}>{c.label}</option>)}
      </select>
      <div key={type}>{props.render(type)}</div>
    </div>
  );
}
