import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { AnalysisService } from '@storesync/analysis';
import { AppConfig } from '@storesync/config';
import { chunkPoints, FileRecord, VectorPoint } from '@storesync/core';
import { EmbeddingProvider, FilePipelineService } from '@storesync/ingest';
import { MetadataStore, ObjectStore, VectorStore } from '@storesync/storage';

const DAY = 86_400_000;

interface DemoFile {
  userId: string;
  name: string;
  text: string;
  /** What to break after writing the file consistently. */
  plant?: 'missing_object' | 'missing_vectors' | 'size_mismatch' | 'checksum_mismatch' | 'stale_vectors' | 'deletion_incomplete';
}

/** The demo's users (the panel demo hands out tokens for these only). */
export const DEMO_USERS = ['alice', 'bob', 'carol', 'dave', 'erin', 'frank'] as const;
const USERS: readonly string[] = DEMO_USERS;
const TOPICS = ['quarterly report', 'onboarding notes', 'api design', 'meeting minutes', 'research summary', 'support playbook'];

function demoFiles(): DemoFile[] {
  const files: DemoFile[] = [];
  USERS.forEach((userId, u) => {
    for (let i = 0; i < 6; i++) {
      const topic = TOPICS[(u + i) % TOPICS.length];
      files.push({ userId, name: `${topic.replace(/ /g, '-')}-${i + 1}.md`, text: `# ${topic}\n\n${`Notes on ${topic} for ${userId}. `.repeat(8 + i)}` });
    }
  });
  const plants: [number, DemoFile['plant']][] = [
    [6, 'missing_object'],
    [7, 'missing_vectors'],
    [12, 'size_mismatch'],
    [13, 'checksum_mismatch'],
    [18, 'stale_vectors'],
    [19, 'deletion_incomplete'],
    [25, 'missing_vectors'],
    [31, 'size_mismatch'],
  ];
  for (const [index, plant] of plants) files[index].plant = plant;
  return files;
}

/**
 * With SEED_DEMO=true and an empty metadata store, writes a small demo data set with
 * every kind of inconsistency planted, then runs a first analysis, so a newcomer's
 * dashboard shows something at once. Never touches a store that holds data.
 */
@Injectable()
export class DemoSeedService implements OnApplicationBootstrap {
  private readonly logger = new Logger(DemoSeedService.name);

  constructor(
    private readonly config: AppConfig,
    private readonly metadata: MetadataStore,
    private readonly objects: ObjectStore,
    private readonly vectors: VectorStore,
    private readonly analysis: AnalysisService,
    private readonly pipeline: FilePipelineService,
    private readonly embeddings: EmbeddingProvider,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.seedDemo) return;
    try {
      if ((await this.metadata.count()) > 0) return;
      await this.seed();
      // Everything was just written by us and nothing is in flight: no grace needed.
      this.analysis.start({ trigger: 'demo', graceSeconds: 0 }).done.catch(() => undefined);
    } catch (error) {
      this.logger.warn({ message: 'demo seed skipped', error: (error as Error).message });
    }
  }

  /** Files go through the real upload pipeline, then each planted fault is applied. */
  private async seed(): Promise<void> {
    const files = demoFiles();
    for (const file of files) {
      const bytes = Buffer.from(file.text, 'utf8');
      const upload = await this.pipeline.upload({ userId: file.userId, fileName: file.name, contentType: 'text/markdown', bytes });
      if (!upload.ok) throw new Error(`demo upload failed at ${upload.error?.step}: ${upload.error?.message}`);
      await this.plant(file, upload.record, bytes);
    }
    await this.objects.put('frank/unknown-upload.bin', Buffer.from('an object nobody recorded'), { contentType: 'application/octet-stream' });
    const ghost = { fileId: 'demo-ghost-file', userId: 'frank', sha256: 'e'.repeat(64) };
    await this.vectors.upsert(await this.points(ghost, ['points left behind by a file that no longer exists']));
    this.logger.log({ message: 'demo data seeded', files: files.length, users: USERS.length });
  }

  private async points(record: Pick<FileRecord, 'fileId' | 'userId' | 'sha256'>, chunks: string[], model = this.embeddings.model): Promise<VectorPoint[]> {
    return chunkPoints({ fileId: record.fileId, userId: record.userId, contentHash: record.sha256 ?? '', model }, chunks, await this.embeddings.embed(chunks));
  }

  private async plant(file: DemoFile, record: FileRecord, bytes: Buffer): Promise<void> {
    switch (file.plant) {
      case 'missing_object':
        return this.objects.delete(record.fileKey);
      case 'missing_vectors':
        return this.vectors.deleteByFileId(record.fileId);
      case 'size_mismatch':
        await this.metadata.updateSize(record.fileId, record.fileSize + 128);
        return;
      case 'checksum_mismatch': {
        const tampered = Buffer.from(bytes.toString('utf8').replace(/Notes/, 'N0tes'), 'utf8');
        await this.objects.put(record.fileKey, tampered, { contentType: record.contentType });
        return;
      }
      case 'stale_vectors':
        return this.vectors.upsert(await this.points(record, ['an older version of this file'], 'legacy-embedder-v0'));
      case 'deletion_incomplete':
        await this.metadata.markInactive(record.fileId, new Date(Date.now() - DAY));
        return;
      default:
        return;
    }
  }
}
