/**
 * A value as text for display or comparison: strings as they are, numbers, bigints and booleans
 * in their usual form, objects and arrays as JSON, anything else (undefined, symbols, functions) empty.
 */
export function scalarText(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return value;
    case 'number':
    case 'bigint':
    case 'boolean':
      return value.toString();
    case 'object':
      return value === null ? '' : (JSON.stringify(value) ?? '');
    default:
      return '';
  }
}
