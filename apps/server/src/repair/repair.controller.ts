import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ActionAuditRepository, QuarantineMaintenanceService, RepairService } from '@storesync/repair';
import { CurrentPrincipal, type Principal } from '../auth/principal';
import { UserAccess } from '../auth/user-access.decorator';
import { ActionsQueryDto } from './dto/actions-query.dto';
import { FixRequestDto } from './dto/fix-request.dto';
import { RestoreQuarantinedDto } from './dto/restore-quarantined.dto';
import { UserFixService } from './user-fix.service';

const DEFAULT_LIMIT = 100;

@ApiTags('repair')
@ApiBearerAuth()
@Controller('api/sync')
export class RepairController {
  constructor(
    private readonly repair: RepairService,
    private readonly quarantine: QuarantineMaintenanceService,
    private readonly actions: ActionAuditRepository,
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
  fix(@Body() body: FixRequestDto, @CurrentPrincipal() principal: Principal) {
    if (principal.role === 'user') return this.userFixes.fix(principal.userId, body);
    const userIds = [...(body.user_id ? [body.user_id] : []), ...(body.user_ids ?? [])];
    return this.repair.fix({
      selection: {
        userIds: userIds.length > 0 ? [...new Set(userIds)] : undefined,
        issueIds: body.issue_ids,
        types: body.types?.length ? body.types : undefined,
      },
      planId: body.plan_id,
      dryRun: body.dry_run ?? true,
      allowDestructive: body.allow_destructive ?? false,
      force: body.force ?? false,
      actor: 'api',
    });
  }

  @Get('actions')
  @ApiOperation({ summary: 'The audit trail of repair actions, newest first' })
  async list(@Query() query: ActionsQueryDto) {
    const actions = await this.actions.list(
      { repairId: query.repair_id, planId: query.plan_id, issueId: query.issue_id, fileId: query.file_id, userId: query.user_id },
      query.limit ?? DEFAULT_LIMIT,
    );
    return { actions };
  }

  @Post('quarantine/restore')
  @HttpCode(200)
  @ApiOperation({ summary: 'Put a quarantined object back at its original key (never overwrites)' })
  restore(@Body() body: RestoreQuarantinedDto) {
    return this.quarantine.restore(body.key, 'api');
  }
}
