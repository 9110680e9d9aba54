import { BadRequestException, Body, Controller, Get, HttpCode, HttpStatus, Logger, Param, ParseUUIDPipe, Post, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { PointQuarantineService, QuarantineMaintenanceService, RepairAuditService, RepairService } from '@storesync/repair';
import { CurrentPrincipal, type Principal } from '../auth/principal';
import { UserAccess } from '../auth/user-access.decorator';
import { ActionsQueryDto, PlanLinesQueryDto } from './dto/actions-query.dto';
import { FixRequestDto } from './dto/fix-request.dto';
import { RestoreQuarantinedDto } from './dto/restore-quarantined.dto';
import { QuarantineQueryDto } from './dto/quarantine-query.dto';
import { PointQuarantineQueryDto, RestorePointsDto } from './dto/point-quarantine.dto';
import { UserFixService } from './user-fix.service';

const DEFAULT_LIMIT = 100;

@ApiTags('repair')
@ApiBearerAuth()
@Controller('api/sync')
export class RepairController {
  private readonly logger = new Logger(RepairController.name);

  constructor(
    private readonly repair: RepairService,
    private readonly quarantine: QuarantineMaintenanceService,
    private readonly points: PointQuarantineService,
    private readonly actions: RepairAuditService,
    private readonly userFixes: UserFixService,
  ) {}

  @Post('fix')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Plan (dry run, the default) or execute repairs of open issues. 409 for issues of a partial run or a tripped circuit breaker.',
  })
  @UserAccess({
    user: ['body.user_id', 'body.user_ids'],
    issues: 'body.issue_ids',
    forbid: ['body.plan_id', 'body.allow_destructive', 'body.force'],
    description: 'its own issues only, the actions SYNC_USER_REPAIR_ACTIONS allows (default reembed), never destructive or forced',
  })
  async fix(@Body() body: FixRequestDto, @CurrentPrincipal() principal: Principal, @Res({ passthrough: true }) res: Response) {
    refusePlanWithSelection(body);
    if (principal.role === 'user') return this.userFixes.fix(principal.userId, body);
    const userIds = [...(body.user_id ? [body.user_id] : []), ...(body.user_ids ?? [])];
    const selection = {
      userIds: userIds.length > 0 ? [...new Set(userIds)] : undefined,
      issueIds: body.issue_ids,
      types: body.types?.length ? body.types : undefined,
    };
    const dryRun = body.dry_run ?? true;
    if (dryRun || body.wait !== false) {
      return this.repair.fix({
        selection,
        planId: body.plan_id,
        dryRun,
        allowDestructive: body.allow_destructive ?? false,
        force: body.force ?? false,
        actor: 'api',
      });
    }
    const planId = body.plan_id ?? (await this.repair.plan(selection, 'api')).id;
    // Refusals (409) come before the first action: they still answer this request.
    const repairId = await new Promise<string>((resolve, reject) => {
      this.repair
        .execute(planId, { actor: 'api', force: body.force ?? false, allowDestructive: body.allow_destructive ?? false, onStarted: resolve })
        .catch((error: Error) => {
          reject(error);
          this.logger.error({ message: 'repair failed', planId, error: error.message });
        });
    });
    res.status(HttpStatus.ACCEPTED);
    return { plan_id: planId, repair_id: repairId };
  }

  @Get('plans/:plan_id/actions')
  @ApiOperation({ summary: "A saved plan's lines in plan order, paged (next_cursor)" })
  async planLines(@Param('plan_id', new ParseUUIDPipe({ version: '4' })) planId: string, @Query() query: PlanLinesQueryDto) {
    const page = await this.repair.planPage(planId, query.limit ?? DEFAULT_LIMIT, query.cursor);
    return {
      plan_id: page.plan.id,
      created_at: page.plan.created_at,
      scope: page.plan.scope,
      total_actions: page.plan.lines,
      summary: { ...page.plan.counts, done: 0, failed: 0 },
      circuit_breaker: page.plan.circuit_breaker,
      actions: page.actions,
      next_cursor: page.next_cursor,
    };
  }

  @Get('repairs/:repair_id')
  @ApiOperation({ summary: 'Where an executing (or finished, or interrupted) repair is' })
  repairProgress(@Param('repair_id', new ParseUUIDPipe({ version: '4' })) repairId: string) {
    return this.repair.repairProgress(repairId);
  }

  @Get('actions')
  @ApiOperation({ summary: 'The audit trail of repair actions, newest first, paged (next_cursor)' })
  list(@Query() query: ActionsQueryDto) {
    return this.actions.list(
      { repairId: query.repair_id, planId: query.plan_id, issueId: query.issue_id, fileId: query.file_id, userId: query.user_id, actor: query.actor },
      query.limit ?? DEFAULT_LIMIT,
      query.cursor,
    );
  }

  @Get('quarantine')
  @ApiOperation({ summary: 'Quarantined objects (key order, paged by next_cursor), with their original key and purge day' })
  quarantined(@Query() query: QuarantineQueryDto) {
    return this.quarantine.list(query.limit ?? DEFAULT_LIMIT, query.cursor);
  }

  @Post('quarantine/restore')
  @HttpCode(200)
  @ApiOperation({ summary: 'Put a quarantined object back at its original key (never overwrites)' })
  restore(@Body() body: RestoreQuarantinedDto) {
    return this.quarantine.restore(body.key, 'api');
  }

  @Get('quarantine/points')
  @ApiOperation({ summary: 'Points deleted by repairs, kept for SYNC_QUARANTINE_DAYS (id order, paged by next_cursor)' })
  quarantinedPoints(@Query() query: PointQuarantineQueryDto) {
    return this.points.list({ fileId: query.file_id, limit: query.limit ?? DEFAULT_LIMIT, cursor: query.cursor });
  }

  @Post('quarantine/points/restore')
  @HttpCode(200)
  @ApiOperation({ summary: 'Put kept points back as they were (by id, or every kept point of a file)' })
  restorePoints(@Body() body: RestorePointsDto) {
    return this.points.restore({ ids: body.ids, fileId: body.file_id }, 'api');
  }
}

/**
 * A saved plan is executed exactly as it was made: a selection beside `plan_id` used to be
 * ignored silently (a plan for other users ran). Refused rather than intersected, so what runs
 * is always what the dry run showed.
 */
function refusePlanWithSelection(body: FixRequestDto): void {
  if (!body.plan_id) return;
  const given = (['user_id', 'user_ids', 'issue_ids', 'types'] as const).filter((field) => body[field] !== undefined);
  if (given.length === 0) return;
  const message = `plan_id executes the saved plan as it is: leave out ${given.join(', ')} (or make a new dry run with that selection)`;
  throw new BadRequestException({
    statusCode: 400,
    error: 'Bad Request',
    code: 'invalid_selection',
    message,
    fields: given.map((field) => ({ field, message })),
  });
}
