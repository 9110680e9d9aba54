/** The embedding summary kept on a file's metadata. */
export interface EmbeddingInfo {
  chunks: number;
  model: string;
  contentHash: string;
}

/** One file's metadata as the domain sees it (the stores keep it in snake_case). */
export interface FileRecord {
  fileId: string;
  userId: string;
  fileKey: string;
  fileName: string;
  fileSize: number;
  contentType: string;
  sha256?: string | null;
  isActive: boolean;
  embedding?: EmbeddingInfo | null;
  createdAt: Date;
  updatedAt: Date;
  deletedAt?: Date | null;
}

/** Fields that may be changed on an existing record. */
export type FileRecordPatch = Partial<
  Pick<FileRecord, 'fileName' | 'fileSize' | 'contentType' | 'sha256' | 'isActive' | 'embedding' | 'updatedAt' | 'deletedAt'>
>;

export interface UserFileCount {
  userId: string;
  total: number;
  active: number;
}
