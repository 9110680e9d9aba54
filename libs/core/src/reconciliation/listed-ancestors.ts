/**
 * Follows a listing in key order and tells whether a key that the listing left out has
 * a listed ancestor: an object whose key, followed by "/", begins this key. MinIO (and
 * other servers that keep objects as folders) stores both "a" and "a/b" but lists only
 * "a": such a key may exist although it was not listed, every other absence is real.
 *
 * Keys must be given in the listing's order. Only listed keys that are a prefix of the
 * latest key are kept (in sorted order every key between "a" and "a/b" begins with "a"),
 * so memory is the depth of one key, not the size of the listing.
 */
export class ListedAncestors {
  private readonly chain: string[] = [];

  /** A key the listing returned. */
  listed(key: string): void {
    this.moveTo(key);
    this.chain.push(key);
  }

  /** True when a listed object's key plus "/" begins this key (which the listing did not return). */
  hasListedAncestor(key: string): boolean {
    this.moveTo(key);
    return this.chain.some((ancestor) => key.length > ancestor.length && key.charCodeAt(ancestor.length) === 0x2f);
  }

  private moveTo(key: string): void {
    while (this.chain.length > 0 && !key.startsWith(this.chain[this.chain.length - 1])) this.chain.pop();
  }
}
