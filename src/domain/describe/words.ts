import type { FieldDescriptor } from './field.js';

/**
 * A field's type as a person reads it: "text, at most 200 characters", "a person id",
 * "a whole number from 1 to 1000", "one of document, disk, copy, draft".
 */
export function typeInWords(field: FieldDescriptor): string {
  const text = bareType(field);
  return field.nullable ? `${text}, or null for none` : text;
}

function bareType(field: FieldDescriptor): string {
  switch (field.kind) {
    case 'id':
      return `${field.of === 'person' ? 'a person' : field.of === 'carrier' ? 'a carrier' : 'a registry'} id`;
    case 'text':
      if (field.format === 'time') return 'a UTC time as YYYY-MM-DDTHH:mm:ss.sssZ';
      if (field.format === 'hash') return 'a SHA-256 hash (64 hex digits)';
      if (field.format === 'public-key') return 'a public key (as custody keygen prints it)';
      return `text${lengthInWords(field.minLength, field.maxLength, 'character')}`;
    case 'number':
      return `${field.integer ? 'a whole number' : 'a number'}${rangeInWords(field.min, field.max)}`;
    case 'boolean':
      return 'true or false';
    case 'choice':
      return `one of ${field.choices.join(', ')}`;
    case 'fixed':
      return `exactly ${JSON.stringify(field.value)}`;
    case 'list': {
      const counts = countInWords(field.minItems, field.maxItems);
      return `a list of ${pluralType(field.item)}${counts}${field.distinct ? ', each once' : ''}`;
    }
    case 'group':
      return 'a group of fields';
    case 'variants':
      return `one of the kinds ${field.variants.map((v) => v.value).join(', ')} (by ${field.discriminator})`;
    case 'any':
      return 'any value';
  }
}

function pluralType(item: FieldDescriptor): string {
  switch (item.kind) {
    case 'id':
      return `${item.of} ids`;
    case 'text':
      return item.format === undefined ? 'texts' : bareType(item).replace(/^an? /, '') + 's';
    case 'number':
      return item.integer ? 'whole numbers' : 'numbers';
    case 'group':
    case 'variants':
      return 'entries';
    case 'choice':
      return `values (${item.choices.join(', ')})`;
    default:
      return 'values';
  }
}

function lengthInWords(min: number | undefined, max: number | undefined, unit: string): string {
  if (max !== undefined && min === max) return `, exactly ${plural(max, unit)}`;
  if (max !== undefined) return `, at most ${plural(max, unit)}`;
  if (min !== undefined && min > 1) return `, at least ${plural(min, unit)}`;
  return '';
}

function countInWords(min: number | undefined, max: number | undefined): string {
  if (min !== undefined && max !== undefined) return min === max ? ` (exactly ${min})` : ` (${min} to ${max})`;
  if (min !== undefined && min > 0) return ` (at least ${min})`;
  if (max !== undefined) return ` (at most ${max})`;
  return '';
}

function rangeInWords(min: number | undefined, max: number | undefined): string {
  if (min !== undefined && max !== undefined) return ` from ${min} to ${max}`;
  if (min !== undefined) return ` of at least ${min}`;
  if (max !== undefined) return ` of at most ${max}`;
  return '';
}

/** "1 copy", "2 copies", "1 character", "64 characters". */
export function plural(count: number, singular: string, pluralForm?: string): string {
  const many = pluralForm ?? (/(?:[^aeiou]y)$/.test(singular) ? `${singular.slice(0, -1)}ies` : /(?:s|x|ch|sh)$/.test(singular) ? `${singular}es` : `${singular}s`);
  return `${count} ${count === 1 ? singular : many}`;
}
