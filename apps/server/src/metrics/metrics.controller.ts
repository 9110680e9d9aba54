import { createHash, timingSafeEqual } from 'node:crypto';
import { Controller, Get, Headers, Res, UnauthorizedException } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { AppConfig } from '@storesync/config';
import { MetricsService } from '@storesync/metrics';
import type { Response } from 'express';
import { ApiTokenService } from '../auth/api-token.service';
import { Public } from '../auth/public.decorator';

/**
 * Prometheus exposition at /metrics (where scrapers look by default). Protected like the
 * API: the admin token, or METRICS_TOKEN so a scraper need not hold the admin's; with
 * METRICS_PUBLIC=true it is open (a scrape network of its own).
 */
@ApiTags('metrics')
@Controller('metrics')
export class MetricsController {
  private readonly metricsTokenDigest?: Buffer;

  constructor(
    private readonly metrics: MetricsService,
    private readonly tokens: ApiTokenService,
    private readonly config: AppConfig,
  ) {
    const token = config.metrics.token;
    this.metricsTokenDigest = token ? createHash('sha256').update(token).digest() : undefined;
  }

  @Public()
  @Get()
  @ApiOperation({ summary: 'Prometheus metrics (text exposition format)' })
  async scrape(@Headers('authorization') authorization: string | undefined, @Res() res: Response): Promise<void> {
    if (!this.config.metrics.public) this.authorize(authorization);
    const body = await this.metrics.exposition();
    res.setHeader('Content-Type', this.metrics.contentType);
    res.send(body);
  }

  private authorize(header: string | undefined): void {
    const match = /^Bearer\s+(.+)$/i.exec(header ?? '');
    if (!match) throw new UnauthorizedException('missing Authorization: Bearer <token> header');
    const candidate = match[1].trim();
    const digest = createHash('sha256').update(candidate).digest();
    if (this.tokens.verify(candidate) || (this.metricsTokenDigest && timingSafeEqual(digest, this.metricsTokenDigest))) return;
    throw new UnauthorizedException('invalid token');
  }
}
