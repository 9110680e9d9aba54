import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '@storesync/config';
import { ISSUE_TYPES, IssueType } from '@storesync/core';
import { ACTION_TABLE, RepairService, type FixOutcome } from '@storesync/repair';
import { forbidden } from '../auth/forbidden';
import type { FixRequestDto } from './dto/fix-request.dto';

/**
 * The repairs an end user's token may ask for: its own issues, only the actions
 * SYNC_USER_REPAIR_ACTIONS allows (never destructive), never forced. The plan is made
 * first and checked line by line, then exactly that plan is executed, so what runs is
 * what was checked.
 */
@Injectable()
export class UserFixService {
  private readonly logger = new Logger(UserFixService.name);
  private readonly allowedActions: ReadonlySet<string>;
  /** Issue types whose usual repair is allowed (a size mismatch may still plan a restore: checked per line). */
  readonly allowedTypes: IssueType[];

  constructor(
    private readonly repair: RepairService,
    config: AppConfig,
  ) {
    this.allowedActions = new Set(config.sync.userRepairActions);
    this.allowedTypes = ISSUE_TYPES.filter((type) => !ACTION_TABLE[type].destructive && this.allowedActions.has(ACTION_TABLE[type].action));
  }

  async fix(userId: string, body: FixRequestDto): Promise<FixOutcome> {
    if (this.allowedTypes.length === 0) throw forbidden('no repair is allowed for user tokens here (SYNC_USER_REPAIR_ACTIONS is empty)');
    const refusedTypes = (body.types ?? []).filter((type) => !this.allowedTypes.includes(type));
    if (refusedTypes.length > 0) {
      throw forbidden(`a user token may not ask to repair ${refusedTypes.join(', ')} (allowed: ${this.allowedTypes.join(', ')})`);
    }
    const selection = {
      userIds: [userId],
      issueIds: body.issue_ids,
      // Named issues are planned as they are and refused below if one needs another action;
      // "all my issues" means all those a user may repair.
      types: body.types?.length ? body.types : body.issue_ids?.length ? undefined : this.allowedTypes,
    };
    const plan = await this.repair.fix({ selection, dryRun: true, allowDestructive: false, force: false, actor: 'user' });
    // Refused even when the line would be skipped: the user asked for something it may not ask for. Every line, page by page.
    let refused: { issue_id: string; action: string } | undefined;
    for await (const lines of this.repair.planLines(plan.plan_id)) {
      refused = lines.find((line) => line.action !== 'none' && (line.destructive || !this.allowedActions.has(line.action)));
      if (refused) break;
    }
    if (refused) {
      throw forbidden(
        `issue ${refused.issue_id} needs ${refused.action}, which a user token may not ask for (allowed: ${[...this.allowedActions].join(', ')})`,
      );
    }
    if (body.dry_run ?? true) return plan;
    const outcome = await this.repair.fix({ selection, planId: plan.plan_id, dryRun: false, allowDestructive: false, force: false, actor: 'user' });
    this.logger.log({ message: 'user repair executed', userId, planId: plan.plan_id, ...outcome.summary });
    return outcome;
  }
}
