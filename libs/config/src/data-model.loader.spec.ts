import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadAppConfig } from './app-config';
import { defaultDataModel } from './data-model';
import { DEFAULT_CONFIG_FILE, loadDataModel } from './data-model.loader';
import { ConfigValidationError } from './environment';

const fail = (problems: string[]): never => {
  throw new ConfigValidationError(problems);
};

describe(loadDataModel.name, () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'datamodel-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const write = (name: string, text: string): string => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, text);
    return file;
  };

  it("is storesync's own layout when there is no file", () => {
    const sut = loadDataModel({}, fail, dir);
    expect({ ...sut, source: 'defaults' }).toEqual(defaultDataModel());
    expect(sut.source).toBe('defaults');
  });

  it('reads a YAML file: nested paths, an _id file id, a status rule, a tenant layout, named vectors', () => {
    const file = write(
      'deployment.yaml',
      `
metadata:
  collection: documents
  fields:
    file_id: _id
    user_id: ownerId
    file_key: storage.key
    file_size: storage.size
    sha256: null
  active: { field: status, equals: ready }
objects:
  bucket: acme-files
  user_from_key: "^tenant-a/(?<user_id>[^/]+)/"
  ignore_prefixes: [thumbnails/, exports/]
vectors:
  collection: lc_docs
  vector_name: dense
  payload: { file_id: metadata.file_id, user_id: metadata.user_id, chunk_index: null, content_hash: null, text: content }
rules:
  not_embedded_content_types: [image/*, Application/ZIP]
`,
    );
    const sut = loadDataModel({ STORESYNC_CONFIG: file }, fail, dir);
    expect(sut.source).toBe(file);
    expect(sut.metadata.collection).toBe('documents');
    expect(sut.metadata.fields).toMatchObject({
      file_id: '_id',
      user_id: 'ownerId',
      file_key: 'storage.key',
      file_size: 'storage.size',
      sha256: null,
      file_name: 'file_name',
    });
    expect(sut.metadata.active).toEqual({ kind: 'equals', field: 'status', value: 'ready', inactiveValue: 'deleted' });
    expect(sut.objects).toEqual({ bucket: 'acme-files', userFromKey: '^tenant-a/(?<user_id>[^/]+)/', ignorePrefixes: ['thumbnails/', 'exports/'] });
    expect(sut.vectors).toMatchObject({ collection: 'lc_docs', vectorName: 'dense', layout: 'plain' });
    expect(sut.vectors.payload).toMatchObject({ file_id: 'metadata.file_id', chunk_index: null, content_hash: null, text: 'content', model: 'model' });
    expect(sut.rules.notEmbeddedContentTypes).toEqual(['image/*', 'application/zip']);
  });

  it('reads JSON too, and the three active forms', () => {
    const missing = write('a.json', JSON.stringify({ metadata: { active: { field: 'deletedAt', missing: true } } }));
    expect(loadDataModel({ STORESYNC_CONFIG: missing }, fail, dir).metadata.active).toEqual({ kind: 'missing', field: 'deletedAt' });
    const flag = write('b.json', JSON.stringify({ metadata: { active: { field: 'meta.live' } } }));
    expect(loadDataModel({ STORESYNC_CONFIG: flag }, fail, dir).metadata.active).toEqual({ kind: 'flag', field: 'meta.live' });
    const equals = write('c.json', JSON.stringify({ metadata: { active: { field: 'enabled', equals: 1, inactive_value: 0 } } }));
    expect(loadDataModel({ STORESYNC_CONFIG: equals }, fail, dir).metadata.active).toEqual({ kind: 'equals', field: 'enabled', value: 1, inactiveValue: 0 });
  });

  it(`uses ./${DEFAULT_CONFIG_FILE} when STORESYNC_CONFIG is not set`, () => {
    write(DEFAULT_CONFIG_FILE, 'metadata: { collection: from_default_file }\n');
    expect(loadDataModel({}, fail, dir).metadata.collection).toBe('from_default_file');
  });

  it('lets the environment variables override the file', () => {
    const file = write('m.yaml', 'metadata: { collection: docs }\nobjects: { bucket: file-bucket }\nvectors: { collection: vecs }\n');
    const sut = loadDataModel(
      {
        STORESYNC_CONFIG: file,
        MONGODB_FILES_COLLECTION: 'env_docs',
        S3_BUCKET: 'env-bucket',
        QDRANT_COLLECTION: 'env_vecs',
        MONGODB_FIELD_MAP: '{"file_key":"s3_key","embedding":"emb"}',
      },
      fail,
      dir,
    );
    expect([sut.metadata.collection, sut.objects.bucket, sut.vectors.collection]).toEqual(['env_docs', 'env-bucket', 'env_vecs']);
    expect(sut.metadata.fields).toMatchObject({ file_key: 's3_key', embedding_chunks: 'emb.chunks', embedding_content_hash: 'emb.content_hash' });
  });

  it.each([
    ['vectors:\n  payload:\n    file_id: null\n', /vectors\.payload\.file_id: is required/],
    ['vectors:\n  payload:\n    file_id: 12\n', /vectors\.payload\.file_id: must be a dotted field path/],
    ['vectors:\n  payload:\n    fileid: x\n', /vectors\.payload\.fileid: unknown key/],
    ['metadata:\n  fields:\n    file_key: "a..b"\n', /metadata\.fields\.file_key: must be a dotted field path/],
    ['metadata:\n  fields:\n    user_id: null\n', /metadata\.fields\.user_id: is required/],
    ['metadata:\n  active: { field: status, equals: ready, missing: true }\n', /metadata\.active: give either equals or missing/],
    ['metadata:\n  active: { field: deleted_at, missing: false }\n', /metadata\.active\.missing: must be true/],
    ['metadata:\n  collection: "$bad"\n', /metadata\.collection: must be a MongoDB collection name/],
    ['objects:\n  user_from_key: "^([^/]+)/"\n', /objects\.user_from_key: needs a named group user_id/],
    ['objects:\n  user_from_key: "^(?<user_id>[^/]+"\n', /objects\.user_from_key: not a valid regular expression/],
    ['objects:\n  bucket: Bad_Bucket\n', /objects\.bucket: must be a bucket name/],
    ['objects:\n  ignore_prefixes: thumbnails/\n', /objects\.ignore_prefixes: must be a list of strings/],
    ['vectors:\n  layout: langchain\n', /vectors\.layout: must be plain or llamaindex/],
    ['rules:\n  not_embedded_content_types: [images]\n', /rules\.not_embedded_content_types\[0\]: "images" is not a content type/],
    ['metdata: {}\n', /metdata: unknown key/],
    ['metadata: [1]\n', /metadata: must be an object/],
    ['metadata: {collection: [unclosed\n', /not valid YAML/],
  ])('names the path of a mistake: %j', (text, message) => {
    const file = write('bad.yaml', text);
    expect(() => loadDataModel({ STORESYNC_CONFIG: file }, fail, dir)).toThrow(message);
  });

  it('reports every mistake of a file at once', () => {
    const file = write('two.yaml', 'metadata: { collection: "$x" }\nvectors: { layout: other }\n');
    expect(() => loadDataModel({ STORESYNC_CONFIG: file }, fail, dir)).toThrow(/metadata\.collection[\s\S]*vectors\.layout/);
  });

  it('names STORESYNC_CONFIG when the file is not there', () => {
    expect(() => loadDataModel({ STORESYNC_CONFIG: 'nope.yaml' }, fail, dir)).toThrow(/STORESYNC_CONFIG: no file at/);
  });

  it("accepts the README's annotated example file as it is", () => {
    const readme = fs.readFileSync(path.join(__dirname, '../../../README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## Adopting an existing deployment'));
    const example = /```yaml\n([\s\S]*?)```/.exec(section)![1];
    const sut = loadDataModel({ STORESYNC_CONFIG: write('readme.yaml', example) }, fail, dir);
    expect(sut.metadata.fields.file_id).toBe('_id');
    expect(sut.objects.ignorePrefixes).toEqual(['thumbnails/', 'exports/']);
    expect(sut.vectors.payload.text).toBe('content');
  });

  it('reaches AppConfig, typed: collection, bucket and collection names come from the model', () => {
    const file = write('app.yaml', 'metadata: { collection: docs }\nobjects: { bucket: acme }\nvectors: { collection: vecs }\n');
    const sut = loadAppConfig({ STORESYNC_CONFIG: file, MONGODB_URI: 'mongodb://127.0.0.1:1/x' }, dir);
    expect(sut.dataModel.source).toBe(file);
    expect([sut.filesCollection, sut.mongodb?.filesCollection, sut.s3Bucket, sut.qdrantCollection]).toEqual(['docs', 'docs', 'acme', 'vecs']);
  });
});
