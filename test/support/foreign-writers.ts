import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { Embeddings } from '@langchain/core/embeddings';
import { MongoClient } from 'mongodb';
import { stringify as toYaml } from 'yaml';
import { HashEmbeddingProvider } from '@storesync/ingest';

/**
 * Writers that are not storesync, for the adoption suites: the MongoDB driver, the AWS
 * SDK and third-party vector-store libraries write a deployment's stores their own way.
 */

/** A deterministic embeddings object for LangChain (no model, no download): storesync's hash features. */
export class HashEmbeddings extends Embeddings {
  private readonly hash = new HashEmbeddingProvider('hash-v1', 256);

  constructor() {
    super({});
  }

  embedDocuments(documents: string[]): Promise<number[][]> {
    return this.hash.embed(documents);
  }

  async embedQuery(document: string): Promise<number[]> {
    return this.hash.embedOne(document);
  }
}

export function s3Client(): S3Client {
  return new S3Client({
    endpoint: process.env.S3_ENDPOINT!,
    region: process.env.S3_REGION ?? 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: process.env.S3_ACCESS_KEY_ID ?? '', secretAccessKey: process.env.S3_SECRET_ACCESS_KEY ?? '' },
  });
}

/** A bucket written with the AWS SDK: no storesync checksum on the objects. */
export async function writeBucket(bucket: string, objects: Record<string, string | Buffer>): Promise<void> {
  const client = s3Client();
  try {
    await client.send(new CreateBucketCommand({ Bucket: bucket }));
    for (const [key, body] of Object.entries(objects)) {
      await client.send(
        new PutObjectCommand({ Bucket: bucket, Key: key, Body: typeof body === 'string' ? Buffer.from(body) : body, ContentType: 'text/plain' }),
      );
    }
  } finally {
    client.destroy();
  }
}

/** Documents inserted with the MongoDB driver, in the deployment's own schema. */
export async function writeCollection(uri: string, collection: string, documents: Record<string, unknown>[]): Promise<void> {
  const client = await MongoClient.connect(uri);
  try {
    await client.db().collection(collection).insertMany(documents);
  } finally {
    await client.close();
  }
}

export async function readCollection(uri: string, collection: string): Promise<Record<string, unknown>[]> {
  const client = await MongoClient.connect(uri);
  try {
    return await client.db().collection(collection).find({}).toArray();
  } finally {
    await client.close();
  }
}

/** Writes the data-model file a deployment would keep beside the service; returns its path. */
export function writeConfigFile(model: Record<string, unknown>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'storesync-config-'));
  const file = path.join(dir, 'storesync.config.yaml');
  fs.writeFileSync(file, toYaml(model));
  return file;
}
