import { InvalidS3EventError, parseS3Events } from './s3-event.parser';

describe(parseS3Events.name, () => {
  it('reads MinIO webhook bodies, decoding the key', () => {
    const body = {
      EventName: 's3:ObjectRemoved:Delete',
      Key: 'files/alice/f1/my file.txt',
      Records: [
        {
          eventName: 's3:ObjectRemoved:Delete',
          eventTime: '2026-01-01T00:00:00.000Z',
          s3: { bucket: { name: 'files' }, object: { key: 'alice/f1/my+file%C3%A9.txt' } },
        },
      ],
    };
    expect(parseS3Events(body)).toEqual([
      { bucket: 'files', key: 'alice/f1/my fileé.txt', eventName: 's3:ObjectRemoved:Delete', eventTime: new Date('2026-01-01T00:00:00.000Z') },
    ]);
  });

  it("takes AWS's test event as no events", () => {
    expect(parseS3Events({ Service: 'Amazon S3', Event: 's3:TestEvent', Bucket: 'files' })).toEqual([]);
  });

  it.each([
    [null, 'body'],
    [[], 'body'],
    [{}, 'Records'],
    [{ Records: [{ s3: { bucket: { name: 'b' }, object: { key: 'k' } } }] }, 'Records[0].eventName'],
    [{ Records: [{ eventName: 'e', s3: { object: { key: 'k' } } }] }, 'Records[0].s3.bucket.name'],
    [{ Records: [{ eventName: 'e', s3: { bucket: { name: 'b' }, object: { key: '%E0%A4%A' } } }] }, 'Records[0].s3.object.key'],
  ])('refuses %j naming %s', (body, field) => {
    expect(() => parseS3Events(body)).toThrow(InvalidS3EventError);
    try {
      parseS3Events(body);
    } catch (error) {
      expect((error as InvalidS3EventError).field).toBe(field);
    }
  });
});
