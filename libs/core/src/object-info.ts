/** What a listing or a head request tells about one stored object. */
export interface ObjectInfo {
  key: string;
  size: number;
  etag?: string;
  lastModified: Date;
  /** Hex SHA-256 when the store kept one (S3 additional checksum, local index). */
  sha256?: string;
  contentType?: string;
}

export interface ObjectVersion {
  key: string;
  versionId: string;
  size: number;
  lastModified: Date;
  isLatest: boolean;
  isDeleteMarker: boolean;
  sha256?: string;
}

export interface PutObjectOptions {
  contentType?: string;
  /** Hex SHA-256 of the body; computed when absent and the body is a buffer. */
  sha256?: string;
}
