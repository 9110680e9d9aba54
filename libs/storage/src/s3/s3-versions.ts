import type { ListObjectVersionsCommandOutput } from '@aws-sdk/client-s3';
import type { ObjectVersion } from '@storesync/core';
import { decodeListedKey } from './s3-keys';

/** The page's versions and delete markers of exactly `key`; `passedKey` once a later key shows up. */
export function toVersions(page: ListObjectVersionsCommandOutput, key: string): { exact: ObjectVersion[]; passedKey: boolean } {
  const exact: ObjectVersion[] = [];
  let passedKey = false;
  for (const v of page.Versions ?? []) {
    const listedKey = decodeListedKey(v.Key!);
    if (listedKey !== key) {
      passedKey = true;
      continue;
    }
    exact.push({
      key,
      versionId: v.VersionId ?? 'null',
      size: v.Size ?? 0,
      lastModified: v.LastModified ?? new Date(0),
      isLatest: v.IsLatest ?? false,
      isDeleteMarker: false,
    });
  }
  for (const m of page.DeleteMarkers ?? []) {
    const listedKey = decodeListedKey(m.Key!);
    if (listedKey !== key) {
      passedKey = true;
      continue;
    }
    exact.push({
      key,
      versionId: m.VersionId ?? 'null',
      size: 0,
      lastModified: m.LastModified ?? new Date(0),
      isLatest: m.IsLatest ?? false,
      isDeleteMarker: true,
    });
  }
  return { exact, passedKey };
}

/**
 * Newest first. The SDK splits versions and delete markers into two lists, losing S3's
 * interleaved order, so sort by time with the latest one first; within one list the
 * original (newest-first) order breaks ties, since S3 times have only second precision.
 */
export function newestFirst(versions: ObjectVersion[]): ObjectVersion[] {
  const position = new Map(versions.map((v, i) => [v, i]));
  return [...versions].sort(
    (a, b) => Number(b.isLatest) - Number(a.isLatest) || b.lastModified.getTime() - a.lastModified.getTime() || position.get(a)! - position.get(b)!,
  );
}
