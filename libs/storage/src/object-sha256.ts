import { ObjectInfo, sha256OfStream } from '@storesync/core';
import type { ObjectStore } from './ports';

/** SHA-256 of an object: the checksum the store kept, else its bytes hashed as they stream. */
export async function objectSha256(objects: ObjectStore, info: ObjectInfo): Promise<string> {
  return info.sha256 ?? (await sha256OfStream(await objects.getStream(info.key)));
}
