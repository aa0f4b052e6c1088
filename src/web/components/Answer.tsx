/**
 * A read model's answer drawn as nested definition lists: investigators read facts, not JSON. Keys
 * are put into words ("lastSignedCustody" → "last signed custody"); times stay exact ISO instants.
 */
export function Answer(props: { value: unknown; depth?: number }) {
  const { value } = props;
  const depth = props.depth ?? 0;
  if (value === null || value === undefined) return <span class="muted">none</span>;
  if (Array.isArray(value)) {
    if (value.length === 0) return <span class="muted">none</span>;
    if (value.every((v) => typeof v !== 'object' || v === null)) return <span>{value.join(', ')}</span>;
    return (
      <ol class="answer-list">
        {value.map((v, i) => (
          <li key={i}>
            <Answer value={v} depth={depth + 1} />
          </li>
        ))}
      </ol>
    );
  }
  if (typeof value === 'object') {
    return (
      <dl class={`facts depth-${Math.min(depth, 3)}`}>
        {Object.entries(value as Record<string, unknown>).map(([k, v]) => (
          <div key={k}>
            <dt>{words(k)}</dt>
            <dd>
              <Answer value={v} depth={depth + 1} />
            </dd>
          </div>
        ))}
      </dl>
    );
  }
  return <span class={typeof value === 'string' && /^\d{4}-\d\d-\d\dT/.test(value) ? 'mono' : undefined}>{String(value)}</span>;
}

const words = (key: string) => key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
