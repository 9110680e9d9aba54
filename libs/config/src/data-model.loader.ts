import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { ActiveRule, DataModel, defaultDataModel, METADATA_FIELDS, MetadataField, PAYLOAD_FIELDS, PayloadField, REQUIRED_METADATA_FIELDS } from './data-model';

/** Looked for in the working directory when STORESYNC_CONFIG is not set. */
export const DEFAULT_CONFIG_FILE = 'storesync.config.yaml';

const COLLECTION_NAME = /^[A-Za-z_][A-Za-z0-9_.-]{0,63}$/;
const QDRANT_COLLECTION = /^[A-Za-z0-9_-]{1,255}$/;
const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
// A MongoDB / Qdrant dotted path: no empty segment, no leading $ (an operator, not a field).
const FIELD_PATH = /^[A-Za-z0-9_@#-][A-Za-z0-9_@#$-]*(\.[A-Za-z0-9_@#$-]+)*$/;
const CONTENT_TYPE_RULE = /^[a-z0-9!#$&^_.+-]+\/([a-z0-9!#$&^_.+-]+|\*)$/i;

type Raw = Record<string, unknown>;

/** Collects problems as `path: message`, so one start reports every mistake of a file at once. */
class Problems {
  readonly list: string[] = [];
  add(at: string, message: string): void {
    this.list.push(`${at}: ${message}`);
  }
}

/**
 * The data model from the config file (when there is one) with the environment's
 * overrides applied. Throws a ConfigValidationError-compatible list through `fail`.
 */
export function loadDataModel(raw: Raw, fail: (problems: string[]) => never, cwd: string | null = process.cwd()): DataModel {
  const problems = new Problems();
  const model = defaultDataModel();
  // cwd null: the environment alone (a config built without reading files).
  const file = cwd === null ? undefined : configFilePath(raw, cwd, problems);
  if (file) {
    const content = readConfigFile(file, problems);
    if (content !== undefined) {
      model.source = file;
      applyFile(model, content, problems);
    }
  }
  applyEnvironment(model, raw, problems);
  if (problems.list.length > 0) fail(problems.list);
  return model;
}

function configFilePath(raw: Raw, cwd: string, problems: Problems): string | undefined {
  const named = typeof raw.STORESYNC_CONFIG === 'string' ? raw.STORESYNC_CONFIG.trim() : '';
  if (named) {
    const resolved = path.resolve(cwd, named);
    if (!fs.existsSync(resolved)) {
      problems.add('STORESYNC_CONFIG', `no file at ${resolved}`);
      return undefined;
    }
    return resolved;
  }
  const fallback = path.resolve(cwd, DEFAULT_CONFIG_FILE);
  return fs.existsSync(fallback) ? fallback : undefined;
}

function readConfigFile(file: string, problems: Problems): Raw | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    problems.add('STORESYNC_CONFIG', `cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
    return undefined;
  }
  let parsed: unknown;
  try {
    parsed = file.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    const what = file.endsWith('.json') ? 'JSON' : 'YAML';
    problems.add(path.basename(file), `not valid ${what}: ${(error as Error).message.split('\n')[0]}`);
    return undefined;
  }
  if (parsed === null || parsed === undefined) return {};
  if (!isObject(parsed)) {
    problems.add(path.basename(file), 'must hold an object with metadata, objects, vectors and rules sections');
    return undefined;
  }
  return parsed;
}

function applyFile(model: DataModel, file: Raw, problems: Problems): void {
  checkKeys(file, '', ['metadata', 'objects', 'vectors', 'rules'], problems);
  const metadata = section(file, 'metadata', problems);
  if (metadata) applyMetadata(model, metadata, problems);
  const objects = section(file, 'objects', problems);
  if (objects) applyObjects(model, objects, problems);
  const vectors = section(file, 'vectors', problems);
  if (vectors) applyVectors(model, vectors, problems);
  const rules = section(file, 'rules', problems);
  if (rules) {
    checkKeys(rules, 'rules', ['not_embedded_content_types'], problems);
    if (rules.not_embedded_content_types !== undefined) {
      const types = stringList(rules.not_embedded_content_types, 'rules.not_embedded_content_types', problems);
      types?.forEach((type, i) => {
        if (!CONTENT_TYPE_RULE.test(type)) problems.add(`rules.not_embedded_content_types[${i}]`, `"${type}" is not a content type (type/subtype or type/*)`);
      });
      if (types) model.rules.notEmbeddedContentTypes = types.map((t) => t.toLowerCase());
    }
  }
}

function applyMetadata(model: DataModel, raw: Raw, problems: Problems): void {
  checkKeys(raw, 'metadata', ['collection', 'fields', 'active'], problems);
  if (raw.collection !== undefined) {
    const name = matching(raw.collection, 'metadata.collection', COLLECTION_NAME, 'a MongoDB collection name', problems);
    if (name) model.metadata.collection = name;
  }
  const fields = section(raw, 'fields', problems, 'metadata.fields');
  if (fields) {
    applyFieldMap(model.metadata.fields, fields, 'metadata.fields', METADATA_FIELDS, problems);
    for (const field of REQUIRED_METADATA_FIELDS) {
      if (model.metadata.fields[field] === null) problems.add(`metadata.fields.${field}`, 'is required (a file cannot be identified without it)');
    }
  }
  if (raw.active !== undefined) {
    const rule = readActiveRule(raw.active, problems);
    if (rule) model.metadata.active = rule;
  }
}

function readActiveRule(raw: unknown, problems: Problems): ActiveRule | undefined {
  const at = 'metadata.active';
  if (!isObject(raw)) {
    problems.add(at, 'must be { field }, { field, equals } or { field, missing: true }');
    return undefined;
  }
  checkKeys(raw, at, ['field', 'equals', 'inactive_value', 'missing'], problems);
  const field = fieldPath(raw.field, `${at}.field`, problems);
  if (!field) return undefined;
  if (raw.equals !== undefined && raw.missing !== undefined) {
    problems.add(at, 'give either equals or missing, not both');
    return undefined;
  }
  if (raw.missing !== undefined) {
    if (raw.missing !== true) problems.add(`${at}.missing`, 'must be true (active while the field is absent)');
    return { kind: 'missing', field };
  }
  if (raw.equals !== undefined) {
    if (!isScalar(raw.equals)) {
      problems.add(`${at}.equals`, 'must be a string, a number or a boolean');
      return undefined;
    }
    const fallback = typeof raw.equals === 'boolean' ? !raw.equals : 'deleted';
    const inactive = raw.inactive_value ?? fallback;
    if (!isScalar(inactive) || inactive === raw.equals) {
      problems.add(`${at}.inactive_value`, 'must be a string, a number or a boolean other than equals');
      return undefined;
    }
    return { kind: 'equals', field, value: raw.equals, inactiveValue: inactive };
  }
  if (raw.inactive_value !== undefined) problems.add(`${at}.inactive_value`, 'only applies with equals');
  return { kind: 'flag', field };
}

function applyObjects(model: DataModel, raw: Raw, problems: Problems): void {
  checkKeys(raw, 'objects', ['bucket', 'user_from_key', 'ignore_prefixes'], problems);
  if (raw.bucket !== undefined) {
    const bucket = matching(raw.bucket, 'objects.bucket', BUCKET_NAME, 'a bucket name (3-63 lowercase letters, digits, dots, hyphens)', problems);
    if (bucket) model.objects.bucket = bucket;
  }
  if (raw.user_from_key !== undefined) {
    const pattern = userPattern(raw.user_from_key, problems);
    if (pattern) model.objects.userFromKey = pattern;
  }
  if (raw.ignore_prefixes !== undefined) {
    const prefixes = stringList(raw.ignore_prefixes, 'objects.ignore_prefixes', problems);
    prefixes?.forEach((prefix, i) => {
      if (prefix.length === 0) problems.add(`objects.ignore_prefixes[${i}]`, 'must not be empty (it would ignore the whole bucket)');
    });
    if (prefixes) model.objects.ignorePrefixes = prefixes.filter((p) => p.length > 0);
  }
}

function userPattern(raw: unknown, problems: Problems): string | undefined {
  const at = 'objects.user_from_key';
  if (typeof raw !== 'string' || raw.length === 0) {
    problems.add(at, 'must be a regular expression with a named group user_id');
    return undefined;
  }
  try {
    new RegExp(raw);
  } catch (error) {
    problems.add(at, `not a valid regular expression (${(error as Error).message})`);
    return undefined;
  }
  if (!raw.includes('(?<user_id>')) {
    problems.add(at, 'needs a named group user_id, e.g. "^(?<user_id>[^/]+)/"');
    return undefined;
  }
  return raw;
}

function applyVectors(model: DataModel, raw: Raw, problems: Problems): void {
  checkKeys(raw, 'vectors', ['collection', 'vector_name', 'payload', 'layout'], problems);
  if (raw.collection !== undefined) {
    const name = matching(raw.collection, 'vectors.collection', QDRANT_COLLECTION, 'a Qdrant collection name (letters, digits, _ and -)', problems);
    if (name) model.vectors.collection = name;
  }
  if (raw.vector_name !== undefined) {
    if (raw.vector_name === null || raw.vector_name === '') model.vectors.vectorName = null;
    else if (typeof raw.vector_name === 'string') model.vectors.vectorName = raw.vector_name;
    else problems.add('vectors.vector_name', 'must be the name of a named vector, or null');
  }
  if (raw.layout !== undefined) {
    if (raw.layout === 'plain' || raw.layout === 'llamaindex') model.vectors.layout = raw.layout;
    else problems.add('vectors.layout', 'must be plain or llamaindex');
  }
  const payload = section(raw, 'payload', problems, 'vectors.payload');
  if (payload) {
    applyFieldMap(model.vectors.payload, payload, 'vectors.payload', PAYLOAD_FIELDS, problems);
    if (model.vectors.payload.file_id === null) problems.add('vectors.payload.file_id', 'is required (points are matched to files by it)');
  }
}

/** A map of storesync field → dotted path or null; unknown fields and bad paths are problems. */
function applyFieldMap<F extends MetadataField | PayloadField>(
  target: Record<F, string | null>,
  raw: Raw,
  at: string,
  known: readonly F[],
  problems: Problems,
): void {
  checkKeys(raw, at, known, problems);
  for (const field of known) {
    if (!(field in raw)) continue;
    const value = raw[field];
    if (value === null) target[field] = null;
    else {
      const pathValue = fieldPath(value, `${at}.${field}`, problems);
      if (pathValue) target[field] = pathValue;
    }
  }
}

/**
 * The variables that named a collection, bucket or field before the config file
 * existed keep working, and win over the file.
 */
function applyEnvironment(model: DataModel, raw: Raw, problems: Problems): void {
  const set = (name: string): string | undefined => {
    const value = raw[name];
    return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
  };
  const collection = set('MONGODB_FILES_COLLECTION');
  if (collection) model.metadata.collection = collection;
  const bucket = set('S3_BUCKET');
  if (bucket) model.objects.bucket = bucket;
  const qdrant = set('QDRANT_COLLECTION');
  if (qdrant) model.vectors.collection = qdrant;
  const vectorName = set('QDRANT_VECTOR_NAME');
  if (vectorName) model.vectors.vectorName = vectorName;
  const fieldMap = set('MONGODB_FIELD_MAP');
  if (fieldMap) applyFieldRenames(model, fieldMap, problems);
}

/**
 * MONGODB_FIELD_MAP renames storesync's stored names ({"file_key":"s3_key"}); "embedding"
 * renames the embedding object, whose three fields move with it.
 */
function applyFieldRenames(model: DataModel, json: string, problems: Problems): void {
  let renames: unknown;
  try {
    renames = JSON.parse(json);
  } catch {
    return; // reported by validateEnvironment with the variable's name
  }
  if (!isObject(renames)) return;
  const fields = model.metadata.fields;
  for (const [from, to] of Object.entries(renames)) {
    if (typeof to !== 'string') continue;
    if (!FIELD_PATH.test(to)) {
      problems.add(`MONGODB_FIELD_MAP.${from}`, `"${to}" is not a field path`);
      continue;
    }
    if (from === 'embedding') {
      fields.embedding_chunks = `${to}.chunks`;
      fields.embedding_model = `${to}.model`;
      fields.embedding_content_hash = `${to}.content_hash`;
    } else if (from === 'is_active') {
      model.metadata.active = { kind: 'flag', field: to };
    } else if ((METADATA_FIELDS as readonly string[]).includes(from)) {
      fields[from as MetadataField] = to;
    } else {
      problems.add(`MONGODB_FIELD_MAP.${from}`, `unknown field (one of ${[...METADATA_FIELDS, 'is_active', 'embedding'].join(', ')})`);
    }
  }
}

function section(raw: Raw, key: string, problems: Problems, at = key): Raw | undefined {
  const value = raw[key];
  if (value === undefined || value === null) return undefined;
  if (!isObject(value)) {
    problems.add(at, 'must be an object');
    return undefined;
  }
  return value;
}

function checkKeys(raw: Raw, at: string, known: readonly string[], problems: Problems): void {
  for (const key of Object.keys(raw)) {
    if (!known.includes(key)) problems.add(at ? `${at}.${key}` : key, `unknown key (expected one of ${known.join(', ')})`);
  }
}

function fieldPath(value: unknown, at: string, problems: Problems): string | undefined {
  if (typeof value !== 'string' || !FIELD_PATH.test(value)) {
    problems.add(at, `must be a dotted field path such as "embedding.chunks" or null, got ${JSON.stringify(value)}`);
    return undefined;
  }
  return value;
}

function matching(value: unknown, at: string, pattern: RegExp, what: string, problems: Problems): string | undefined {
  if (typeof value !== 'string' || !pattern.test(value)) {
    problems.add(at, `must be ${what}, got ${JSON.stringify(value)}`);
    return undefined;
  }
  return value;
}

function stringList(value: unknown, at: string, problems: Problems): string[] | undefined {
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) {
    problems.add(at, 'must be a list of strings');
    return undefined;
  }
  return value;
}

function isScalar(value: unknown): value is string | number | boolean {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

function isObject(value: unknown): value is Raw {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
