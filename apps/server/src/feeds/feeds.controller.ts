import { createHash, timingSafeEqual } from 'node:crypto';
import { BadRequestException, Body, Controller, Get, Head, Headers, HttpCode, NotFoundException, Post, UnauthorizedException } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { FeedStatusService, InvalidS3EventError, S3ChangeFeed } from '@storesync/change-feed';
import { AppConfig } from '@storesync/config';
import { Public } from '../auth/public.decorator';

/** Change feeds: the S3 event webhook (its own secret, not the admin token) and the feeds' status. */
@ApiTags('feeds')
@Controller('api/feeds')
export class FeedsController {
  private readonly webhookDigest?: Buffer;

  constructor(
    private readonly s3: S3ChangeFeed,
    private readonly status: FeedStatusService,
    config: AppConfig,
  ) {
    const token = config.changeFeed.s3WebhookToken;
    this.webhookDigest = token ? createHash('sha256').update(token).digest() : undefined;
  }

  @ApiBearerAuth()
  @Get('status')
  @ApiOperation({ summary: 'Each change feed: mode, connected, last event, lag, events seen, checks scheduled' })
  feeds() {
    return { feeds: this.status.all() };
  }

  /** MinIO probes its webhook target with HEAD (without the token) before sending. */
  @Public()
  @Head('s3')
  @HttpCode(200)
  probe(): void {}

  @Public()
  @Post('s3')
  @HttpCode(200)
  @ApiOperation({ summary: 'S3 event notifications (MinIO webhook target); `Authorization: Bearer <S3_EVENTS_WEBHOOK_TOKEN>`' })
  async s3Events(@Headers('authorization') authorization: string | undefined, @Body() body: unknown) {
    if (!this.webhookDigest) throw new NotFoundException({ message: 'the S3 event feed is off (S3_EVENTS_WEBHOOK_TOKEN is unset)', code: 'feed_disabled' });
    const match = /^Bearer\s+(.+)$/i.exec(authorization ?? '');
    if (!match) throw new UnauthorizedException({ message: 'missing Authorization: Bearer <S3_EVENTS_WEBHOOK_TOKEN> header', code: 'unauthorized' });
    const digest = createHash('sha256').update(match[1].trim()).digest();
    if (!timingSafeEqual(digest, this.webhookDigest)) throw new UnauthorizedException({ message: 'invalid webhook token', code: 'unauthorized' });
    try {
      return await this.s3.accept(body);
    } catch (error) {
      if (error instanceof InvalidS3EventError) throw new BadRequestException({ message: error.message, field: error.field, code: 'invalid_s3_event' });
      throw error;
    }
  }
}
