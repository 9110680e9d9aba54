/**
 * Stable error codes. Every non-2xx body carries one as `code`; clients branch on it, never on
 * `message`. The table gives each code its one HTTP status: the server's exception filter answers
 * from it, the OpenAPI document and docs/api.md list it.
 * Adding a code: one line here (the compiler then asks for nothing else; throw an error whose
 * `code` is it).
 */
export const ERROR_CATALOGUE = {
  validation_failed: { status: 400, description: 'A field, parameter or body is not valid; `fields` names each.' },
  invalid_key: { status: 400, description: 'An object key is not valid (empty, too long, `..`, control characters).' },
  invalid_json: { status: 400, description: 'The request body is not valid JSON.' },
  json_too_deep: { status: 400, description: 'The JSON body is nested deeper than 32 levels.' },
  invalid_cursor: { status: 400, description: 'A `cursor` is not one this API returned (`fields` names it).' },
  invalid_param: { status: 400, description: 'A path parameter is not valid; `fields` names it.' },
  unknown_field: { status: 400, description: 'A multipart upload has a field other than `user_id` and `file`; `fields` names it.' },
  duplicate_field: { status: 400, description: 'A multipart field is given more than once; `fields` names it.' },
  invalid_multipart: { status: 400, description: 'The multipart body is malformed, has no boundary or ended early.' },
  invalid_selection: { status: 400, description: 'A fix names a `plan_id` and a selection (user_id, user_ids, issue_ids, types) at once.' },
  invalid_s3_event: { status: 400, description: 'An S3 event notification (POST /api/feeds/s3) is not one; `field` names what is wrong.' },
  unauthorized: { status: 401, description: 'No token, or not a valid admin/user token.' },
  forbidden: { status: 403, description: 'The token is valid but may not do this (e.g. a user token reading another user).' },
  not_found: { status: 404, description: 'The user, run, file, plan, object or route does not exist.' },
  feed_disabled: { status: 404, description: 'The S3 event feed is off (S3_EVENTS_WEBHOOK_TOKEN is unset).' },
  channel_not_found: { status: 404, description: 'No notification channel of that name (NOTIFY_CHANNELS).' },
  delivery_not_found: { status: 404, description: 'No notification delivery with that id.' },
  method_not_allowed: { status: 405, description: 'The route exists but not with this method.' },
  conflict: { status: 409, description: 'The request conflicts with the current state (e.g. a restore target is taken).' },
  analysis_running: { status: 409, description: 'An analysis of the same scope is already running; `run_id` is that run.' },
  partial_run: { status: 409, description: 'The selected issues came from a partial run; `issue_ids` lists them.' },
  circuit_breaker: { status: 409, description: 'The plan would remove too large a share of a store; a person may pass `force`.' },
  plan_expired: { status: 409, description: 'The saved plan is too old to execute; make a new dry run.' },
  not_dead_letter: { status: 409, description: 'Only a dead-lettered notification delivery can be retried.' },
  payload_too_large: { status: 413, description: 'The body or upload is larger than the limit.' },
  unsupported_media_type: { status: 415, description: 'The request content type is not one this route accepts.' },
  limit_exceeded: { status: 413, description: 'A multipart limit was hit (fields, files, parts, field size); `limit` names it.' },
  extraction_limit: { status: 422, description: "The file's text is over an extraction cap; `limit` names the setting (nothing is stored)." },
  unprocessable: { status: 422, description: 'The request is well formed but cannot be processed (e.g. a document that cannot be read).' },
  rate_limited: { status: 429, description: 'Too many requests; retry after the `Retry-After` header.' },
  internal_error: { status: 500, description: 'Unexpected; the server log has details under `correlation_id`.' },
  store_unavailable: { status: 503, description: 'A store could not be reached or did not answer in time; `store` names it.' },
} as const satisfies Record<string, { status: number; description: string }>;

export type ErrorCode = keyof typeof ERROR_CATALOGUE;

export const ERROR_CODES = Object.keys(ERROR_CATALOGUE) as ErrorCode[];

/** The status each code is answered with. */
export type ErrorStatus<C extends ErrorCode = ErrorCode> = (typeof ERROR_CATALOGUE)[C]['status'];

/** The body of every non-2xx response. */
export interface ApiErrorBody {
  statusCode: number;
  /** The HTTP reason phrase ("Not Found"). */
  error: string;
  code: ErrorCode;
  message: string;
  /** validation_failed: each bad field with what is wrong. */
  fields?: { field: string; message: string }[];
  /** internal_error: the id under which the server logged the details. */
  correlation_id?: string;
  /** analysis_running: the run already going. */
  run_id?: string;
  /** partial_run, circuit_breaker: the same value as `code` (kept for callers of the first API). */
  reason?: 'partial_run' | 'circuit_breaker';
  /** partial_run: the issues that came from a partial run. */
  issue_ids?: string[];
  /** store_unavailable: which store. */
  store?: string;
  /** payload_too_large, limit_exceeded, extraction_limit, rate_limited: the limit hit (a setting's name). */
  limit?: string;
  /** invalid_s3_event: the bad field of the event. */
  field?: string;
}
