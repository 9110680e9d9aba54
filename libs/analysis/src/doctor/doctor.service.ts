import { Injectable, Logger } from '@nestjs/common';
import { stringify as toYaml } from 'yaml';
import { AppConfig, DataModel, dataModelToFile } from '@storesync/config';
import { FileRecord, KeyLayout, SyncRules } from '@storesync/core';
import { createMetadataStore, createObjectStore, createVectorStore, MetadataStore, ObjectStore, VectorCollectionInfo, VectorStore } from '@storesync/storage';
import { FullScan } from '../scan/full-scan';
import { inferKeyLayout, inferMetadata, inferPayload, InferredField } from './infer-model';

/** Documents, keys and points read from each store. */
const SAMPLE = 300;
/** Top-level prefixes of the bucket looked for (one small listing each). */
const MAX_PREFIXES = 40;
/** The preview analysis stops here on a large deployment (it reports how far it got). */
const PREVIEW_SECONDS = 30;
const WARN_SHARE = 0.5;

export interface DoctorReport {
  active_config: Record<string, unknown>;
  proposed_config: Record<string, unknown>;
  proposed_yaml: string;
  samples: { documents: number; keys: number; points: number };
  inferred: {
    metadata: InferredField[];
    payload: InferredField[];
    writer: string;
    keys: { user_from_key: string; ignore_prefixes: string[]; top_prefixes: string[]; agreement: number };
    vectors: VectorCollectionInfo | null;
  };
  preview: {
    files: number;
    objects: number;
    points: number;
    issues_by_type: Record<string, number>;
    not_checked: Record<string, number>;
    /** The preview stopped after PREVIEW_SECONDS or a store failed: counts are of what it saw. */
    partial: boolean;
    reason?: string;
  };
  warnings: string[];
}

/**
 * Looks at a deployment the way a person adopting it would: samples each store, infers
 * where storesync's fields live, proposes a config file, and previews what an analysis
 * with it would report (read-only: no issue is recorded, nothing is written).
 */
@Injectable()
export class DoctorService {
  private readonly logger = new Logger(DoctorService.name);

  constructor(
    private readonly config: AppConfig,
    private readonly metadata: MetadataStore,
    private readonly objects: ObjectStore,
    private readonly vectors: VectorStore,
  ) {}

  async examine(): Promise<DoctorReport> {
    const warnings: string[] = [];
    const active = this.config.dataModel;
    const [documents, collection, points, keys] = await Promise.all([
      this.metadata.sampleDocuments(SAMPLE),
      this.vectors.describeCollection(),
      this.vectors.samplePoints(SAMPLE),
      this.topPrefixes(),
    ]);
    const metadata = inferMetadata(documents, active.metadata);
    const payload = inferPayload(points.map((p) => p.payload));
    const proposed: DataModel = structuredClone(active);
    proposed.source = 'doctor';
    proposed.metadata.fields = metadata.fields;
    proposed.metadata.active = metadata.active;
    if (points.length > 0) {
      proposed.vectors.payload = payload.payload;
      proposed.vectors.layout = payload.layout;
    }
    proposed.vectors.vectorName = this.vectorName(collection, active, warnings);

    const stores = this.storesFor(proposed);
    try {
      const records = await firstRecords(stores.metadata, SAMPLE);
      const layout = inferKeyLayout(records, keys.prefixes, this.config.sync.quarantinePrefix);
      proposed.objects.userFromKey = layout.userFromKey;
      proposed.objects.ignorePrefixes = layout.ignorePrefixes;
      const preview = await this.preview(stores, proposed);
      this.warn(warnings, { documents, points, metadata: metadata.report, proposed, preview, collection, agreement: layout.agreement });
      const file = dataModelToFile(proposed);
      return {
        active_config: dataModelToFile(active),
        proposed_config: file,
        proposed_yaml: toYaml(file),
        samples: { documents: documents.length, keys: keys.sampled, points: points.length },
        inferred: {
          metadata: metadata.report,
          payload: payload.report,
          writer: payload.writer,
          keys: { user_from_key: layout.userFromKey, ignore_prefixes: layout.ignorePrefixes, top_prefixes: keys.prefixes, agreement: round(layout.agreement) },
          vectors: collection,
        },
        preview,
        warnings,
      };
    } finally {
      await Promise.allSettled([stores.metadata.close(), stores.objects.close(), stores.vectors.close()]);
    }
  }

  /** Stores reading the deployment through the proposed model (the configured ones stay as they are). */
  private storesFor(model: DataModel): { metadata: MetadataStore; objects: ObjectStore; vectors: VectorStore } {
    const config = Object.assign(Object.create(Object.getPrototypeOf(this.config) as object) as AppConfig, this.config, { dataModel: model });
    return { metadata: createMetadataStore(config), objects: createObjectStore(config), vectors: createVectorStore(config) };
  }

  /**
   * The bucket's top-level prefixes, found by jumping from one to the next (a listing of
   * a few keys each) rather than reading the keys in between.
   */
  private async topPrefixes(): Promise<{ prefixes: string[]; sampled: number }> {
    const prefixes: string[] = [];
    let startAfter: string | undefined;
    let sampled = 0;
    for (let i = 0; i < MAX_PREFIXES; i += 1) {
      let first: string | undefined;
      for await (const page of this.objects.listObjectPages({ startAfter, pageSize: 10 })) {
        sampled += page.length;
        first = page[0]?.key;
        break;
      }
      if (first === undefined) break;
      const slash = first.indexOf('/');
      const prefix = slash < 0 ? first : first.slice(0, slash + 1);
      prefixes.push(prefix);
      startAfter = slash < 0 ? first : `${prefix}\u{10FFFF}`;
    }
    return { prefixes, sampled };
  }

  private vectorName(collection: VectorCollectionInfo | null, active: DataModel, warnings: string[]): string | null {
    if (!collection || collection.vectors.length === 0) return active.vectors.vectorName;
    const dimension = this.config.embedding.dimension;
    const unnamed = collection.vectors.find((v) => v.name === null);
    const chosen = unnamed ?? collection.vectors.find((v) => v.size === dimension) ?? collection.vectors[0];
    if (chosen.size !== dimension) {
      warnings.push(
        `vectors: collection ${active.vectors.collection} holds ${chosen.size}-dimension vectors${chosen.name ? ` (${chosen.name})` : ''} but EMBEDDING_DIMENSION=${dimension}: re-embeds would be refused; set the embedding provider to the deployment's model`,
      );
    }
    return chosen.name;
  }

  private async preview(stores: { metadata: MetadataStore; objects: ObjectStore; vectors: VectorStore }, model: DataModel): Promise<DoctorReport['preview']> {
    const rules: SyncRules = {
      graceSeconds: this.config.sync.graceSeconds,
      notEmbeddedContentTypes: model.rules.notEmbeddedContentTypes,
      quarantinePrefix: this.config.sync.quarantinePrefix,
      keyLayout: new KeyLayout(model.objects.userFromKey, model.objects.ignorePrefixes),
    };
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), PREVIEW_SECONDS * 1000);
    const scan = new FullScan(stores, { deep: false, batchSize: 1000, rules, now: new Date(), signal: controller.signal });
    const issues: Record<string, number> = {};
    let files = 0;
    try {
      for await (const batch of scan.run()) {
        files += batch.files.length;
        for (const issue of [...batch.orphans, ...batch.files.flatMap((f) => f.issues)]) {
          // Point issues count their points: "98% of points" is about points.
          const weight = issue.type === 'orphan_vectors' || issue.type === 'unmapped_vectors' ? Number(issue.details.points ?? 1) : 1;
          issues[issue.type] = (issues[issue.type] ?? 0) + weight;
        }
      }
    } catch (error) {
      this.logger.warn({ message: 'doctor preview failed', error: (error as Error).message });
      return {
        files,
        objects: scan.stores.s3.count,
        points: scan.stores.qdrant.count,
        issues_by_type: issues,
        not_checked: {},
        partial: true,
        reason: (error as Error).message,
      };
    } finally {
      clearTimeout(timer);
    }
    const failed = Object.entries(scan.stores).filter(([, s]) => !s.ok);
    const partial = controller.signal.aborted || failed.length > 0;
    const reason = controller.signal.aborted ? `stopped after ${PREVIEW_SECONDS}s` : failed.map(([name, s]) => `${name}: ${s.error}`).join('; ') || undefined;
    return {
      files,
      objects: scan.stores.s3.count,
      points: scan.stores.qdrant.count,
      issues_by_type: issues,
      not_checked: { ...scan.notChecked },
      partial,
      ...(reason ? { reason } : {}),
    };
  }

  private warn(
    warnings: string[],
    seen: {
      documents: unknown[];
      points: unknown[];
      metadata: InferredField[];
      proposed: DataModel;
      preview: DoctorReport['preview'];
      collection: VectorCollectionInfo | null;
      agreement: number;
    },
  ): void {
    const { proposed, preview } = seen;
    const share = (n: number, of: number) => (of > 0 ? n / of : 0);
    const pct = (x: number) => `${Math.round(x * 100)}%`;
    if (seen.documents.length === 0) warnings.push(`metadata.collection: ${proposed.metadata.collection} holds no documents: is it the right collection?`);
    if (!seen.collection) warnings.push(`vectors.collection: ${proposed.vectors.collection} does not exist`);
    else if (seen.points.length === 0) warnings.push(`vectors.collection: ${proposed.vectors.collection} holds no points`);
    for (const field of ['file_id', 'user_id', 'file_key'] as const) {
      if (seen.documents.length > 0 && !seen.metadata.find((f) => f.field === field)?.path) {
        warnings.push(`metadata.fields.${field}: no field of the sampled documents looks like it; set it by hand`);
      }
    }
    for (const f of seen.metadata) {
      if (f.path && f.coverage < WARN_SHARE && ['file_key', 'file_size', 'user_id'].includes(f.field)) {
        warnings.push(`metadata.fields.${f.field}: ${f.path} is present in only ${pct(f.coverage)} of the sampled documents`);
      }
    }
    const orphanPoints = share(preview.issues_by_type.orphan_vectors ?? 0, preview.points);
    if (orphanPoints > WARN_SHARE) {
      warnings.push(
        `${pct(orphanPoints)} of points have no matching file: is vectors.payload.file_id (${proposed.vectors.payload.file_id}) the right field, and ${proposed.vectors.collection} the right collection for ${proposed.metadata.collection}?`,
      );
    }
    const unmapped = share(preview.issues_by_type.unmapped_vectors ?? 0, preview.points);
    if (unmapped > WARN_SHARE) warnings.push(`${pct(unmapped)} of points have no file id at vectors.payload.file_id (${proposed.vectors.payload.file_id})`);
    const missing = share(preview.issues_by_type.missing_object ?? 0, preview.files);
    if (missing > WARN_SHARE) {
      warnings.push(
        `${pct(missing)} of files have no object at their key: check metadata.fields.file_key (${proposed.metadata.fields.file_key}) and objects.bucket (${proposed.objects.bucket})`,
      );
    }
    const orphans = share(preview.issues_by_type.orphan_object ?? 0, preview.objects);
    if (orphans > WARN_SHARE) {
      warnings.push(
        `${pct(orphans)} of objects have no metadata: is ${proposed.metadata.collection} the right collection, or do objects.ignore_prefixes miss a prefix?`,
      );
    }
    const noVectors = share(preview.issues_by_type.missing_vectors ?? 0, preview.files);
    if (noVectors > WARN_SHARE) warnings.push(`${pct(noVectors)} of files have no points: check vectors.payload.file_id (${proposed.vectors.payload.file_id})`);
    if (seen.documents.length > 0 && seen.agreement < WARN_SHARE) {
      warnings.push(
        `objects.user_from_key: only ${pct(seen.agreement)} of the sampled keys hold their user id where ${proposed.objects.userFromKey} says; one-user scans and orphan owners may be wrong`,
      );
    }
    const skipped = Object.entries(preview.not_checked)
      .filter(([, n]) => n > 0)
      .map(([check]) => check);
    if (skipped.length > 0) warnings.push(`not checked (a side does not store the field): ${skipped.join(', ')}`);
  }
}

async function firstRecords(store: MetadataStore, limit: number): Promise<FileRecord[]> {
  for await (const page of store.streamFilePages({ batchSize: limit })) return page.slice(0, limit);
  return [];
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
