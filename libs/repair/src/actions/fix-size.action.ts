import { Injectable } from '@nestjs/common';
import { MetadataStore } from '@storesync/storage';
import { LiveCheckService } from '../live-check.service';
import { ActionContext, ActionOutcome, describeLive, noLongerHolds, RepairAction } from './repair-action';

/** size_mismatch whose object hash equals the metadata sha256: the recorded size is what is wrong. */
@Injectable()
export class FixSizeAction extends RepairAction {
  readonly name = 'fix_size' as const;

  constructor(
    private readonly live: LiveCheckService,
    private readonly metadata: MetadataStore,
  ) {
    super();
  }

  async run({ issue, now }: ActionContext): Promise<ActionOutcome> {
    const live = await this.live.check(issue, now);
    if (!live.holds) return noLongerHolds(live, 'the recorded size matches the object');
    const record = live.record!;
    if (!record.sha256 || live.objectSha256 !== record.sha256) {
      return {
        result: 'skipped',
        reason: "the object's hash no longer matches the metadata, so its bytes are wrong, not the size: make a new plan (restore_object)",
        before: describeLive(live),
      };
    }
    await this.metadata.updateSize(record.fileId, live.object!.size);
    return {
      result: 'done',
      before: { file_size: record.fileSize },
      after: { file_size: live.object!.size },
      resolution: 'repaired: size corrected',
    };
  }
}
