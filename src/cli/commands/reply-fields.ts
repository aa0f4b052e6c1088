/**
 * Reading the members of a server reply the client passes through untyped: a missing or oddly
 * shaped member reads as empty, so a newer server's reply still prints.
 */
export type Json = Record<string, unknown>;

export const objectAt = (value: unknown, key: string): Json | null => {
  const inner = value !== null && typeof value === 'object' ? (value as Json)[key] : undefined;
  return inner !== null && typeof inner === 'object' && !Array.isArray(inner) ? (inner as Json) : null;
};

export const arrayAt = (value: unknown, key: string): Json[] => {
  const inner = value !== null && typeof value === 'object' ? (value as Json)[key] : undefined;
  return Array.isArray(inner) ? (inner as Json[]) : [];
};

/** "clerk1, courier2" from `[{ personId }]` or `['clerk1']`. */
export const names = (value: unknown): string =>
  Array.isArray(value)
    ? value.map((v) => (v !== null && typeof v === 'object' ? String((v as Json).personId ?? (v as Json).carrierId ?? '?') : String(v))).join(', ') || '(none)'
    : '-';
