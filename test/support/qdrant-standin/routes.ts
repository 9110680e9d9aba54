import { Collection, VectorSpaces } from './collection';
import { badRequest, collectionNotFound, formatError, HttpError } from './http-error';
import { Distance, DISTANCES } from './vector-math';

/** The Qdrant release whose REST API the stand-in follows; the JS client accepts ±1 minor. */
export const STANDIN_VERSION = '1.18.0';

export interface RouteContext {
  params: string[];
  body: Record<string, unknown>;
  query: URLSearchParams;
}

export interface Route {
  method: string;
  pattern: RegExp;
  /** Returns the `result` of the envelope; `raw` answers are sent as they are (GET /). */
  handle(context: RouteContext): unknown;
  raw?: boolean;
}

const NAME = '([^/]+)';

/** The endpoints the storage adapter uses, on one in-memory set of collections. */
export function createRoutes(collections: Map<string, Collection>): Route[] {
  const existing = (name: string) => {
    const collection = collections.get(name);
    if (!collection) throw collectionNotFound(name);
    return collection;
  };
  const updateResult = (operationId: number, query: URLSearchParams) => ({
    operation_id: operationId,
    status: query.get('wait') === 'true' ? 'completed' : 'acknowledged',
  });
  const route = (method: string, path: string, handle: Route['handle'], raw = false): Route => ({
    method,
    pattern: new RegExp(`^${path}$`),
    handle,
    raw,
  });

  return [
    route('GET', '/', () => ({ title: 'qdrant - vector search engine', version: STANDIN_VERSION, commit: 'standin' }), true),
    route('GET', '/(?:healthz|livez|readyz)', () => 'healthz check passed', true),
    route('GET', '/collections', () => ({ collections: [...collections.keys()].map((name) => ({ name })) })),
    route('GET', `/collections/${NAME}`, ({ params }) => existing(params[0]).info()),
    route('GET', `/collections/${NAME}/exists`, ({ params }) => ({ exists: collections.has(params[0]) })),
    route('PUT', `/collections/${NAME}`, ({ params, body }) => {
      const [name] = params;
      const spaces = readVectorSpaces(body.vectors);
      if (collections.has(name)) throw new HttpError(409, `Wrong input: Collection \`${name}\` already exists!`);
      collections.set(name, new Collection(spaces));
      return true;
    }),
    route('DELETE', `/collections/${NAME}`, ({ params }) => collections.delete(params[0])),
    route('PUT', `/collections/${NAME}/index`, ({ params, body, query }) =>
      updateResult(existing(params[0]).createPayloadIndex(body.field_name, body.field_schema), query),
    ),
    route('PUT', `/collections/${NAME}/points`, ({ params, body, query }) => updateResult(existing(params[0]).upsert(body), query)),
    route('POST', `/collections/${NAME}/points`, ({ params, body }) =>
      existing(params[0]).retrieve(body.ids, { withPayload: body.with_payload, withVector: body.with_vector }),
    ),
    route('POST', `/collections/${NAME}/points/scroll`, ({ params, body }) =>
      existing(params[0]).scroll({
        filter: body.filter,
        limit: readLimit(body.limit, 10),
        offset: body.offset,
        withPayload: body.with_payload,
        withVector: body.with_vector,
      }),
    ),
    route('POST', `/collections/${NAME}/points/count`, ({ params, body }) => ({
      count: existing(params[0]).count(body.filter),
    })),
    route('POST', `/collections/${NAME}/points/delete`, ({ params, body, query }) => updateResult(existing(params[0]).delete(body), query)),
    route('POST', `/collections/${NAME}/points/search`, ({ params, body }) =>
      existing(params[0]).nearest({
        // `vector: { name, vector }` searches a named vector.
        ...readNamedVector(body.vector),
        filter: body.filter,
        limit: readLimit(body.limit, undefined),
        offset: readOffset(body.offset),
        scoreThreshold: readThreshold(body.score_threshold),
        withPayload: body.with_payload,
        withVector: body.with_vector,
        defaultWithPayload: false,
      }),
    ),
    route('POST', `/collections/${NAME}/points/query`, ({ params, body }) => ({
      points: existing(params[0]).nearest({
        vector: readQueryVector(body.query),
        using: typeof body.using === 'string' ? body.using : undefined,
        filter: body.filter,
        limit: readLimit(body.limit, 10),
        offset: readOffset(body.offset),
        scoreThreshold: readThreshold(body.score_threshold),
        withPayload: body.with_payload,
        withVector: body.with_vector,
        defaultWithPayload: false,
      }),
    })),
  ];
}

function readVectorParams(raw: unknown, at: string): { size: number; distance: Distance } {
  const { size, distance } = (raw ?? {}) as { size?: unknown; distance?: unknown };
  if (typeof size !== 'number' || !Number.isInteger(size) || size < 1 || size > 65536) {
    throw badRequest(`${at}size must be an integer from 1 to 65536`);
  }
  if (!DISTANCES.includes(distance as Distance)) {
    throw formatError(`unknown variant \`${String(distance)}\`, expected one of ${DISTANCES.join(', ')}`);
  }
  return { size, distance: distance as Distance };
}

/** `vectors: { size, distance }` (one unnamed vector) or `vectors: { <name>: { size, distance }, … }`. */
function readVectorSpaces(raw: unknown): VectorSpaces {
  const spaces: VectorSpaces = new Map();
  if (typeof raw === 'object' && raw !== null && !('size' in raw) && Object.keys(raw).length > 0) {
    for (const [name, params] of Object.entries(raw as Record<string, unknown>)) spaces.set(name, readVectorParams(params, `vectors.${name}.`));
  } else {
    spaces.set('', readVectorParams(raw, 'vectors.'));
  }
  return spaces;
}

function readNamedVector(raw: unknown): { vector: unknown; using?: string } {
  if (typeof raw === 'object' && raw !== null && !Array.isArray(raw) && 'vector' in raw) {
    const { name, vector } = raw as { name?: unknown; vector: unknown };
    return { vector, using: typeof name === 'string' ? name : undefined };
  }
  return { vector: raw };
}

function readLimit(raw: unknown, fallback: number | undefined): number {
  if ((raw === undefined || raw === null) && fallback !== undefined) return fallback;
  if (typeof raw !== 'number' || !Number.isInteger(raw) || raw < 1) throw badRequest('limit must be an integer ≥ 1');
  return raw;
}

function readOffset(raw: unknown): number {
  if (raw === undefined || raw === null) return 0;
  if (typeof raw !== 'number' || !Number.isInteger(raw) || raw < 0) throw badRequest('offset must be an integer ≥ 0');
  return raw;
}

function readThreshold(raw: unknown): number | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw !== 'number') throw formatError('score_threshold must be a number');
  return raw;
}

function readQueryVector(raw: unknown): unknown {
  if (Array.isArray(raw)) return raw;
  if (typeof raw === 'object' && raw !== null && 'nearest' in raw) return raw.nearest;
  throw badRequest('the stand-in answers only nearest-vector queries (`query: [..]` or `{ nearest: [..] }`)');
}
