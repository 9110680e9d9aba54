import type { OpenAPIObject } from '@nestjs/swagger';
import { ERROR_CATALOGUE, ERROR_CODES } from '@storesync/contract';

/** The contract's error body as an OpenAPI schema, its `code` an enum of the catalogue. */
export const ERROR_BODY_SCHEMA = {
  type: 'object',
  required: ['statusCode', 'error', 'code', 'message'],
  properties: {
    statusCode: { type: 'integer' },
    error: { type: 'string', description: 'HTTP reason phrase' },
    code: {
      type: 'string',
      enum: [...ERROR_CODES],
      description: ERROR_CODES.map((code) => `\`${code}\` (${ERROR_CATALOGUE[code].status}): ${ERROR_CATALOGUE[code].description}`).join('\n'),
    },
    message: { type: 'string' },
    fields: {
      type: 'array',
      items: { type: 'object', required: ['field', 'message'], properties: { field: { type: 'string' }, message: { type: 'string' } } },
    },
    correlation_id: { type: 'string' },
    run_id: { type: 'string' },
    reason: { type: 'string', enum: ['partial_run', 'circuit_breaker'] },
    issue_ids: { type: 'array', items: { type: 'string' } },
    store: { type: 'string' },
  },
  additionalProperties: true,
} as const;

/** Adds the ErrorBody schema and, on every operation, a `default` response with it. */
export function withErrorSchema(document: OpenAPIObject): OpenAPIObject {
  document.components ??= {};
  document.components.schemas ??= {};
  document.components.schemas.ErrorBody = ERROR_BODY_SCHEMA as never;
  const methods = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'] as const;
  for (const item of Object.values(document.paths)) {
    for (const method of methods) {
      const operation = item[method];
      if (!operation) continue;
      operation.responses ??= {};
      operation.responses.default ??= {
        description: 'An error, with its stable `code` (see ErrorBody)',
        content: { 'application/json': { schema: { $ref: '#/components/schemas/ErrorBody' } } },
      };
    }
  }
  return document;
}
