import type { FieldDescriptor } from '../../domain/describe/index.js';
import { getIn, initialOf, type Path } from '../lib/values.js';
import { isoFromLocalInput, localInputFromIso } from '../lib/time.js';

/**
 * One field of a command, drawn from its descriptor (src/domain/describe): text and ids as inputs
 * with pickers, numbers, yes/no, choices, lists as add/remove rows, groups as fieldsets, variants as
 * a choice and its fields. The form holds the data; a field edits its path in it.
 */
export type FieldProps = {
  field: FieldDescriptor;
  path: Path;
  data: unknown;
  onChange: (path: Path, value: unknown) => void;
  /** Messages per path, written `description.reference` or `roles[0].role`. */
  problems: Map<string, string>;
  idPrefix: string;
  /** Top-level fields shown but not editable (the desk fills them: "registered by" is me). */
  locked?: boolean;
  /** Label override for a list's item. */
  label?: string;
};

export const pathKey = (path: Path): string =>
  path.reduce<string>((text, key) => (typeof key === 'number' ? `${text}[${key}]` : text === '' ? String(key) : `${text}.${String(key)}`), '');

const PICKERS: Record<string, string> = { person: 'pick-person', carrier: 'pick-carrier', registry: 'pick-registry', location: 'pick-location' };

export function Field(props: FieldProps) {
  const { field, path, data } = props;
  const value = getIn(data, path);
  const key = pathKey(path);
  const id = `${props.idPrefix}-${key.replace(/[^A-Za-z0-9]+/g, '-')}`;
  const problem = props.problems.get(key);
  const label = props.label ?? field.label;
  const described = problem ? `${id}-problem` : field.help ? `${id}-help` : undefined;
  const hint = (
    <>
      {field.help ? <span id={`${id}-help`} class="hint">{field.help}</span> : null}
      {problem ? <span id={`${id}-problem`} class="field-problem">{problem}</span> : null}
    </>
  );
  const optional = !field.required ? <span class="optional"> (optional)</span> : null;

  switch (field.kind) {
    case 'fixed':
      return null;
    case 'group': {
      if (field.nullable && !field.required) {
        const on = value !== null && value !== undefined;
        return (
          <fieldset class="group">
            <legend>{label}</legend>
            <label class="check">
              <input type="checkbox" checked={on} disabled={props.locked} onChange={(e) => props.onChange(path, e.currentTarget.checked ? initialOf({ ...field, required: true, nullable: false }) ?? {} : null)} />
              Give {label.toLowerCase()}
            </label>
            {on ? field.fields.map((f) => <Field {...props} key={f.name} field={f} path={[...path, f.name]} label={undefined as never} />) : null}
            {hint}
          </fieldset>
        );
      }
      return (
        <fieldset class="group">
          <legend>{label}{optional}</legend>
          {field.fields.map((f) => <Field {...props} key={f.name} field={f} path={[...path, f.name]} label={undefined as never} />)}
          {hint}
        </fieldset>
      );
    }
    case 'variants': {
      const current = (value as Record<string, unknown> | undefined)?.[field.discriminator] as string | undefined;
      const variant = field.variants.find((v) => v.value === current);
      return (
        <fieldset class="group">
          <legend>{label}</legend>
          <label for={id}>Kind</label>
          <select id={id} value={current ?? ''} disabled={props.locked} onChange={(e) => props.onChange(path, { [field.discriminator]: e.currentTarget.value })}>
            <option value="" disabled>choose…</option>
            {field.variants.map((v) => <option key={v.value} value={v.value}>{v.label}</option>)}
          </select>
          {variant?.fields.filter((f) => f.name !== field.discriminator).map((f) => <Field {...props} key={f.name} field={f} path={[...path, f.name]} label={undefined as never} />)}
          {hint}
        </fieldset>
      );
    }
    case 'list': {
      const items = Array.isArray(value) ? value : [];
      const itemLabel = field.label.replace(/s$/, '').replace(/ie$/, 'y');
      return (
        <fieldset class="group list">
          <legend>{label}{optional}</legend>
          {items.map((_, i) => (
            <div class="list-row" key={i}>
              <Field {...props} field={field.item} path={[...path, i]} label={`${itemLabel} ${i + 1}`} />
              <button type="button" class="link" disabled={props.locked} onClick={() => props.onChange(path, items.filter((__, j) => j !== i))} aria-label={`Remove ${itemLabel.toLowerCase()} ${i + 1}`}>
                Remove
              </button>
            </div>
          ))}
          {field.maxItems === undefined || items.length < field.maxItems ? (
            <button type="button" class="secondary small" disabled={props.locked} onClick={() => props.onChange(path, [...items, initialOf({ ...field.item, required: true }) ?? (field.item.kind === 'group' ? {} : '')])}>
              Add {itemLabel.toLowerCase()}
            </button>
          ) : null}
          {hint}
        </fieldset>
      );
    }
    case 'boolean':
      return (
        <div class="field">
          <label class="check">
            <input id={id} type="checkbox" checked={value === true} disabled={props.locked} aria-describedby={described} onChange={(e) => props.onChange(path, e.currentTarget.checked)} />
            {label}
          </label>
          {hint}
        </div>
      );
    case 'choice':
      return (
        <div class="field">
          <label for={id}>{label}{optional}</label>
          <select id={id} value={(value as string | undefined) ?? ''} disabled={props.locked} aria-invalid={problem ? true : undefined} aria-describedby={described} onChange={(e) => props.onChange(path, e.currentTarget.value === '' ? undefined : e.currentTarget.value)}>
            {field.required && value !== undefined ? null : <option value="">{field.required ? 'choose…' : 'none'}</option>}
            {field.choices.map((c) => <option key={c} value={c}>{c}</option>)}
          </select>
          {hint}
        </div>
      );
    case 'number':
      return (
        <div class="field">
          <label for={id}>{label}{optional}</label>
          <input
            id={id}
            type="number"
            inputMode="numeric"
            step={field.integer ? 1 : 'any'}
            min={field.min}
            max={field.max}
            value={value === undefined ? '' : String(value)}
            disabled={props.locked}
            aria-invalid={problem ? true : undefined}
            aria-describedby={described}
            onInput={(e) => {
              const text = e.currentTarget.value;
              props.onChange(path, text === '' ? undefined : Number(text));
            }}
          />
          {hint}
        </div>
      );
    default: {
      const isTime = field.kind === 'text' && field.format === 'time';
      const picker = field.picker ? PICKERS[field.picker] : undefined;
      const empty = field.nullable ? null : undefined;
      return (
        <div class="field">
          <label for={id}>{label}{optional}</label>
          <input
            id={id}
            type={isTime ? 'datetime-local' : 'text'}
            step={isTime ? 1 : undefined}
            list={picker}
            autocomplete="off"
            spellcheck={false}
            value={isTime ? localInputFromIso(value as string | undefined) : ((value as string | null | undefined) ?? '')}
            readOnly={props.locked}
            aria-invalid={problem ? true : undefined}
            aria-describedby={described}
            onInput={(e) => {
              const text = e.currentTarget.value;
              props.onChange(path, text === '' ? empty : isTime ? isoFromLocalInput(text) : text);
            }}
          />
          {hint}
        </div>
      );
    }
  }
}
