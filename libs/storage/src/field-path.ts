type Doc = Record<string, unknown>;

/** The value at a dotted path ("embedding.chunks"); undefined when any step is missing. */
export function getPath(doc: unknown, path: string): unknown {
  if (!path.includes('.')) return isObject(doc) ? doc[path] : undefined;
  let current: unknown = doc;
  for (const segment of path.split('.')) {
    if (!isObject(current)) return undefined;
    current = current[segment];
  }
  return current;
}

/** Sets the value at a dotted path, creating the objects on the way. */
export function setPath(doc: Doc, path: string, value: unknown): void {
  const segments = path.split('.');
  let current = doc;
  for (const segment of segments.slice(0, -1)) {
    const next = current[segment];
    if (!isObject(next)) current[segment] = {};
    current = current[segment] as Doc;
  }
  current[segments[segments.length - 1]] = value;
}

function isObject(value: unknown): value is Doc {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}
