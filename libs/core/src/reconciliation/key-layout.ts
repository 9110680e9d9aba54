/**
 * How a deployment's object keys name their user, and which prefixes hold no files.
 * storesync's own layout is `<user_id>/<file_id>/<name>`; another backend may put keys
 * under a tenant prefix (`tenant-a/<user>/…`) and keep thumbnails or exports beside them.
 */
export class KeyLayout {
  private readonly pattern: RegExp;
  /** The literal text before the user id, when the pattern is `^literal(?<user_id>[^/]+)/`. */
  private readonly literalPrefix: string | undefined;

  constructor(
    userFromKey = DEFAULT_USER_FROM_KEY,
    readonly ignorePrefixes: readonly string[] = [],
  ) {
    this.pattern = new RegExp(userFromKey);
    this.literalPrefix = literalBeforeUser(userFromKey);
  }

  /** The key's user, '' when the key does not follow the layout. */
  userOf(key: string): string {
    return this.pattern.exec(key)?.groups?.user_id ?? '';
  }

  /**
   * The prefix every key of this user starts with, when the layout says so; undefined
   * when only a full listing filtered by userOf() can find them.
   */
  userPrefix(userId: string): string | undefined {
    return this.literalPrefix === undefined || userId.includes('/') ? undefined : `${this.literalPrefix}${userId}/`;
  }

  /** Under a prefix that holds no files: never scanned, never an orphan. */
  ignored(key: string): boolean {
    for (const prefix of this.ignorePrefixes) if (key.startsWith(prefix)) return true;
    return false;
  }
}

export const DEFAULT_USER_FROM_KEY = '^(?<user_id>[^/]+)/';

const USER_GROUP = '(?<user_id>[^/]+)/';

/** `^abc\/(?<user_id>[^/]+)/…` → "abc/"; undefined when what precedes the group is not plain text. */
function literalBeforeUser(source: string): string | undefined {
  if (!source.startsWith('^')) return undefined;
  const at = source.indexOf(USER_GROUP);
  if (at < 0) return undefined;
  const before = source.slice(1, at);
  let literal = '';
  for (let i = 0; i < before.length; i += 1) {
    const ch = before[i];
    if (ch === '\\') {
      const next = before[i + 1];
      if (next === undefined || /[A-Za-z0-9]/.test(next)) return undefined; // \d, \w…: a class, not a character
      literal += next;
      i += 1;
    } else if ('.*+?()[]{}|^$'.includes(ch)) {
      return undefined;
    } else {
      literal += ch;
    }
  }
  return literal;
}
