import { Injectable } from '@nestjs/common';
import { LiveCheckService } from '../live-check.service';
import { ObjectRestorer } from '../object-restorer';
import { ActionContext, ActionOutcome, describeLive, noLongerHolds, RepairAction } from './repair-action';

/** missing_object, checksum_mismatch (and a size_mismatch whose bytes are wrong): restore the object. */
@Injectable()
export class RestoreObjectAction extends RepairAction {
  readonly name = 'restore_object' as const;

  constructor(
    private readonly live: LiveCheckService,
    private readonly restorer: ObjectRestorer,
  ) {
    super();
  }

  async run({ issue, now }: ActionContext): Promise<ActionOutcome> {
    const live = await this.live.check(issue, now);
    if (!live.holds) return noLongerHolds(live, 'the object now matches its metadata');
    const record = live.record!;
    if (issue.type === 'size_mismatch' && record.sha256 && live.objectSha256 === record.sha256) {
      return {
        result: 'skipped',
        reason: "the object's hash now matches the metadata: only the size is wrong; make a new plan (fix_size)",
        before: describeLive(live),
      };
    }
    const outcome = await this.restorer.restore(record, live.object, now);
    if (!outcome.restored) return { result: 'skipped', reason: outcome.reason, before: describeLive(live) };
    const after =
      outcome.source === 'version'
        ? { source: 'version', version_id: outcome.versionId, sha256: outcome.sha256 }
        : { source: 'backup', sha256: outcome.sha256, kept_previous_at: outcome.keptPreviousAt };
    return { result: 'done', before: describeLive(live), after, resolution: `repaired: object restored from ${outcome.source}` };
  }
}
