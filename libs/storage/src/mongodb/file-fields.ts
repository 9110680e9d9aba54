/** The stored (snake_case) names of a file document's fields, after the configured renames. */
export interface FileFields {
  fileId: string;
  userId: string;
  fileKey: string;
  fileName: string;
  fileSize: string;
  contentType: string;
  sha256: string;
  isActive: string;
  embedding: string;
  createdAt: string;
  updatedAt: string;
  deletedAt: string;
}

const DEFAULT_FIELDS: FileFields = {
  fileId: 'file_id',
  userId: 'user_id',
  fileKey: 'file_key',
  fileName: 'file_name',
  fileSize: 'file_size',
  contentType: 'content_type',
  sha256: 'sha256',
  isActive: 'is_active',
  embedding: 'embedding',
  createdAt: 'created_at',
  updatedAt: 'updated_at',
  deletedAt: 'deleted_at',
};

/** `renames` maps a default stored name (e.g. "file_key") to the deployment's own ("s3_key"). */
export function resolveFileFields(renames: Record<string, string> = {}): FileFields {
  const fields = { ...DEFAULT_FIELDS };
  for (const key of Object.keys(fields) as (keyof FileFields)[]) {
    const renamed = renames[fields[key]];
    if (renamed) fields[key] = renamed;
  }
  return fields;
}
