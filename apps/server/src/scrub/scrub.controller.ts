import { Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiConflictResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { ScrubRunStarted, ScrubStatusResponse } from '@storesync/contract';
import { ScrubberService, ScrubStatusService } from '@storesync/scrubber';
import { ScrubStatusQueryDto } from './dto/scrub-status-query.dto';

const DEFAULT_DAYS = 30;

/** The checksum scrubber: admin token only (no @UserAccess: user tokens get 403). */
@ApiTags('scrub')
@ApiBearerAuth()
@Controller('api/scrub')
export class ScrubController {
  constructor(
    private readonly scrubber: ScrubberService,
    private readonly statuses: ScrubStatusService,
  ) {}

  @Get('status')
  @ApiOperation({
    summary:
      'The scrubber: settings, the run going, the last run (bytes, rate, where it stopped) and coverage (verified in the last `days` days, never verified)',
  })
  status(@Query() query: ScrubStatusQueryDto): Promise<ScrubStatusResponse> {
    return this.statuses.status(query.days ?? DEFAULT_DAYS);
  }

  @Post('run')
  @HttpCode(202)
  @ApiOperation({ summary: 'Start a scrubber run now; follow it with GET /api/scrub/status or the scrub.* events' })
  @ApiAcceptedResponse({ description: '{ run_id }' })
  @ApiConflictResponse({ description: 'code "conflict": a run is already going (`run_id`, null when another instance holds the lock)' })
  async run(): Promise<ScrubRunStarted> {
    const { runId } = await this.scrubber.start('api');
    return { run_id: runId };
  }
}
