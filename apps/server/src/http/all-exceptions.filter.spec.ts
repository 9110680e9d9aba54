import { ArgumentsHost, BadRequestException, HttpException, NotFoundException } from '@nestjs/common';
import { ApiErrorBody, ERROR_CATALOGUE, ERROR_CODES } from '@storesync/contract';
import { DomainError, NotFoundError, StoreErrorCode, StoreUnavailableError } from '@storesync/core';
import { AllExceptionsFilter } from './all-exceptions.filter';

function answer(exception: unknown): { status: number; body: ApiErrorBody } {
  const sent: { status?: number; body?: ApiErrorBody } = {};
  const response = {
    headersSent: false,
    status(code: number) {
      sent.status = code;
      return this;
    },
    json(body: ApiErrorBody) {
      sent.body = body;
    },
  };
  const host = { getType: () => 'http', switchToHttp: () => ({ getResponse: () => response }) } as unknown as ArgumentsHost;
  new AllExceptionsFilter().catch(exception, host);
  return { status: sent.status!, body: sent.body! };
}

describe(AllExceptionsFilter.name, () => {
  it.each(ERROR_CODES)('answers a DomainError coded %s with the catalogue status and the code', (code) => {
    const { status, body } = answer(new DomainError(code, `something about ${code}`));
    expect(status).toBe(ERROR_CATALOGUE[code].status);
    expect(body).toMatchObject({ statusCode: status, code, message: `something about ${code}` });
    expect(typeof body.error).toBe('string');
  });

  it('keeps a domain error extra fields (run_id, issue_ids, store)', () => {
    expect(answer(new DomainError('analysis_running', 'busy', { run_id: 'r1' })).body).toMatchObject({ code: 'analysis_running', run_id: 'r1' });
    expect(answer(new StoreUnavailableError('qdrant', 'timeout')).body).toMatchObject({ statusCode: 503, code: 'store_unavailable', store: 'qdrant' });
    expect(answer(new NotFoundError('s3', 'object a/b')).body).toMatchObject({ statusCode: 404, code: 'not_found' });
  });

  it('gives every store error code a catalogue code', () => {
    for (const code of Object.values(StoreErrorCode)) expect(ERROR_CODES).toContain(code);
  });

  it("codes Nest's own exceptions by status and keeps their fields", () => {
    const validation = answer(new BadRequestException({ message: 'limit: bad', fields: [{ field: 'limit', message: 'bad' }] }));
    expect(validation).toMatchObject({ status: 400, body: { code: 'validation_failed', message: 'limit: bad', fields: [{ field: 'limit' }] } });
    expect(answer(new NotFoundException('Cannot GET /x')).body).toMatchObject({ statusCode: 404, error: 'Not Found', code: 'not_found' });
    expect(answer(new HttpException('slow down', 429)).body).toMatchObject({ statusCode: 429, code: 'rate_limited', message: 'slow down' });
    expect(answer(new HttpException({ message: 'nope', code: 'forbidden' }, 403)).body).toMatchObject({ statusCode: 403, code: 'forbidden' });
  });

  it('answers anything else with a generic 500 and a correlation id, never the error text', () => {
    const { status, body } = answer(new Error('mongo said: E11000 secret driver text'));
    expect(status).toBe(500);
    expect(body).toMatchObject({ code: 'internal_error', correlation_id: expect.any(String) });
    expect(JSON.stringify(body)).not.toContain('E11000');
  });
});
