import { InvalidS3EventError } from './s3-event.parser';
import { settleSqsMessage, unwrapSqsBody } from './sqs-message';

const event = {
  Records: [{ eventName: 'ObjectRemoved:Delete', eventTime: '2026-01-01T00:00:00.000Z', s3: { bucket: { name: 'files' }, object: { key: 'u/f1/a+b.txt' } } }],
};

describe(unwrapSqsBody.name, () => {
  it('takes the S3 event as S3 sends it to a queue', () => {
    expect(unwrapSqsBody(JSON.stringify(event))).toEqual({ notification: event, records: 1 });
  });

  it('unwraps an SNS notification', () => {
    expect(unwrapSqsBody(JSON.stringify({ Type: 'Notification', Message: JSON.stringify(event) }))).toEqual({ notification: event, records: 1 });
  });

  it("takes S3's test event as no records", () => {
    expect(unwrapSqsBody(JSON.stringify({ Service: 'Amazon S3', Event: 's3:TestEvent', Bucket: 'files' })).records).toBe(0);
  });

  it.each([
    [undefined, 'body'],
    ['', 'body'],
    ['not json', 'body'],
    ['[]', 'body'],
    [JSON.stringify({ Type: 'Notification', Message: 42 }), 'Message'],
    [JSON.stringify({ Type: 'Notification', Message: '{nope' }), 'Message'],
    [JSON.stringify({ Records: [{ eventName: 'x', s3: { bucket: { name: 'b' }, object: {} } }] }), 'Records[0].s3.object.key'],
  ])('refuses %j naming %s', (body, field) => {
    expect(() => unwrapSqsBody(body)).toThrow(expect.objectContaining({ name: 'InvalidS3EventError', field }) as Error);
  });
});

describe(settleSqsMessage.name, () => {
  it('deletes a message once handed over, and hands over the unwrapped notification', async () => {
    const handOver = jest.fn(() => Promise.resolve());
    await expect(settleSqsMessage(JSON.stringify({ Type: 'Notification', Message: JSON.stringify(event) }), handOver)).resolves.toEqual({
      action: 'delete',
      records: 1,
    });
    expect(handOver).toHaveBeenCalledWith(event);
  });

  it('keeps a message whose hand-over failed (a store down), for redelivery', async () => {
    const verdict = await settleSqsMessage(JSON.stringify(event), () => Promise.reject(new Error('metadata store unavailable')));
    expect(verdict).toEqual({ action: 'keep', reason: 'metadata store unavailable' });
  });

  it('drops a malformed message without handing it over', async () => {
    const handOver = jest.fn(() => Promise.resolve());
    const verdict = await settleSqsMessage('{"Records": 3}', handOver);
    expect(verdict.action).toBe('drop');
    expect(handOver).not.toHaveBeenCalled();
  });

  it('drops a message the hand-over refuses as malformed', async () => {
    const verdict = await settleSqsMessage(JSON.stringify(event), () => Promise.reject(new InvalidS3EventError('Records[0]', 'bad')));
    expect(verdict).toEqual({ action: 'drop', reason: 'Records[0]: bad' });
  });

  it('deletes the test event without handing anything over', async () => {
    const handOver = jest.fn(() => Promise.resolve());
    await expect(settleSqsMessage(JSON.stringify({ Service: 'Amazon S3', Event: 's3:TestEvent' }), handOver)).resolves.toEqual({
      action: 'delete',
      records: 0,
    });
    expect(handOver).not.toHaveBeenCalled();
  });
});
