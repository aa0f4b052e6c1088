import { fieldAt, type FieldDescriptor } from '../domain/describe/index.js';
import { valueOf } from './data-pairs.js';

/**
 * Reads a `key=value` word the way the command's schema wants it, so a person types plain values:
 *
 *   reference=2026               → "2026" (the field is text: a number-like value stays text)
 *   readers=analyst,director     → ["analyst", "director"] (a list of ids; JSON works too)
 *   couriers=courier1            → ["courier1"]
 *   seal=null                    → null where the field takes none, else the text "null"
 *
 * Numbers, true/false and JSON for groups keep the JSON reading. A quoted JSON string
 * (reference='"2026"') still reads as that string, as before.
 */
export function plainReader(fields: FieldDescriptor[]): (path: string[], text: string) => unknown {
  return (path, text) => {
    const field = fieldAt(fields, path);
    return field === undefined ? valueOf(text) : readAs(field, text);
  };
}

function readAs(field: FieldDescriptor, text: string): unknown {
  const trimmed = text.trim();
  if (field.nullable && trimmed === 'null') return null;
  switch (field.kind) {
    case 'text':
    case 'id':
    case 'choice':
      return isJsonString(trimmed) ? valueOf(trimmed) : text;
    case 'list':
      if (trimmed.startsWith('[')) return valueOf(trimmed);
      if (!isWordItem(field.item)) return valueOf(text);
      if (trimmed === '') return [];
      return trimmed.split(',').map((part) => readAs(field.item, part.trim()));
    default:
      return valueOf(text);
  }
}

/** Items a comma list can carry: ids, texts without commas of their own, choices, numbers. */
const isWordItem = (item: FieldDescriptor): boolean => ['id', 'text', 'choice', 'number'].includes(item.kind);

const isJsonString = (text: string): boolean => text.length >= 2 && text.startsWith('"') && text.endsWith('"');
