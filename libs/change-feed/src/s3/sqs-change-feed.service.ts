import { DeleteMessageBatchCommand, GetQueueAttributesCommand, type Message, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { AppConfig, type SqsFeedSettings } from '@storesync/config';
import { FeedStatusService } from '../feed-status.service';
import { S3ChangeFeed } from './s3-change-feed.service';
import { settleSqsMessage } from './sqs-message';

const MAX_BACKOFF_MS = 60_000;

/**
 * The bucket's event notifications through an SQS queue (AWS: S3 → SQS, or S3 → SNS → SQS): long-polls
 * ReceiveMessage and hands each notification to the same path as the webhook (S3ChangeFeed.accept). A message is
 * deleted only once handed over, so a store outage means redelivery, not loss; a malformed one is logged and
 * deleted (it would fail forever). Receive errors back off exponentially and show as disconnected in the feed status.
 */
@Injectable()
export class SqsChangeFeed implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(SqsChangeFeed.name);
  private readonly settings?: SqsFeedSettings;
  private client?: SQSClient;
  private readonly abort = new AbortController();
  private loop?: Promise<void>;

  constructor(
    private readonly s3: S3ChangeFeed,
    private readonly status: FeedStatusService,
    config: AppConfig,
  ) {
    this.settings = config.changeFeed.sqs;
  }

  onApplicationBootstrap(): void {
    if (!this.settings) return;
    const { queueUrl, region, accessKeyId, secretAccessKey } = this.settings;
    this.client = new SQSClient({
      region,
      // The queue URL names the endpoint (also for SQS-compatible servers).
      useQueueUrlAsEndpoint: true,
      ...(accessKeyId && secretAccessKey ? { credentials: { accessKeyId, secretAccessKey } } : {}),
    });
    this.status.setMode('s3', 'sqs', false);
    this.logger.log({ message: 'SQS change feed starting', queue: queueUrl });
    this.loop = this.run();
  }

  async onApplicationShutdown(): Promise<void> {
    this.abort.abort();
    await this.loop;
    this.client?.destroy();
  }

  private async run(): Promise<void> {
    let failures = 0;
    let reached = false;
    while (!this.abort.signal.aborted) {
      try {
        // A quick call first (at start and after a failure): an empty queue's long poll answers only after the wait.
        if (!reached) await this.probe();
        reached = true;
        await this.pollOnce();
        failures = 0;
      } catch (error) {
        if (this.abort.signal.aborted) break;
        failures += 1;
        reached = false;
        const message = describe(error);
        this.status.setMode('s3', 'sqs', false, message);
        const delay = Math.min(MAX_BACKOFF_MS, 500 * 2 ** Math.min(failures, 10));
        this.logger.warn({ message: 'SQS receive failed; backing off', error: message, retry_in_ms: delay });
        await sleep(delay, this.abort.signal);
      }
    }
  }

  private async probe(): Promise<void> {
    if (!this.client || !this.settings) return;
    await this.client.send(new GetQueueAttributesCommand({ QueueUrl: this.settings.queueUrl, AttributeNames: ['QueueArn'] }), {
      abortSignal: this.abort.signal,
    });
    this.status.setMode('s3', 'sqs', true);
  }

  /** One long poll, its messages settled and the settled ones deleted in one batch. */
  async pollOnce(): Promise<void> {
    const client = this.client;
    const settings = this.settings;
    if (!client || !settings) return;
    const received = await client.send(
      new ReceiveMessageCommand({ QueueUrl: settings.queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: settings.waitSeconds }),
      { abortSignal: this.abort.signal },
    );
    this.status.setMode('s3', 'sqs', true);
    const done: Message[] = [];
    for (const message of received.Messages ?? []) {
      const verdict = await settleSqsMessage(message.Body, (notification) => this.s3.accept(notification));
      if (verdict.action === 'keep') {
        this.logger.warn({ message: 'S3 event from SQS not handed over; left for redelivery', message_id: message.MessageId, error: verdict.reason });
        continue;
      }
      if (verdict.action === 'drop') this.logger.warn({ message: 'malformed S3 event in SQS; deleted', message_id: message.MessageId, error: verdict.reason });
      done.push(message);
    }
    if (done.length === 0) return;
    // Not aborted by shutdown: what was handed over should not come back.
    const deleted = await client.send(
      new DeleteMessageBatchCommand({ QueueUrl: settings.queueUrl, Entries: done.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle })) }),
    );
    for (const failed of deleted.Failed ?? []) {
      this.logger.warn({ message: 'SQS delete failed; the event may be seen again', id: failed.Id, code: failed.Code, error: failed.Message });
    }
  }
}

function describe(error: unknown): string {
  const e = error as { name?: string; message?: string };
  return [e.name, e.message].filter(Boolean).join(': ') || 'unknown error';
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
