import { Injectable } from '@nestjs/common';
import { MetadataStore, ObjectStore } from '@storesync/storage';
import { LiveCheckService } from '../live-check.service';
import { QuarantineService } from '../quarantine.service';
import type { IssueDocument } from '@storesync/analysis';
import { ActionContext, ActionOutcome, describeLive, noLongerHolds, RepairAction, stepKey } from './repair-action';

/** orphan_object: move the object to `quarantine/<yyyy-mm-dd>/<key>`; purged after the retention. */
@Injectable()
export class QuarantineObjectAction extends RepairAction {
  readonly name = 'quarantine_object' as const;

  constructor(
    private readonly live: LiveCheckService,
    private readonly quarantine: QuarantineService,
    private readonly metadata: MetadataStore,
    private readonly objects: ObjectStore,
  ) {
    super();
  }

  override prepare(issue: IssueDocument, now: Date, previous: Record<string, unknown> | null): Record<string, unknown> {
    return typeof previous?.quarantine_key === 'string' ? previous : { quarantine_key: this.quarantine.keyFor(issue.file_key!, now) };
  }

  async run({ issue, now, step }: ActionContext): Promise<ActionOutcome> {
    const live = await this.live.check(issue, now);
    const key = issue.file_key!;
    if (!live.holds) return noLongerHolds(live, live.record ? `metadata now refers to ${key}` : `${key} is gone or in the grace window`);
    const etag = live.object!.etag;
    // Between copy and delete an upload may claim the key: check once more before deleting.
    const stillOrphan = async () => !(await this.metadata.getByKey(key)) && (await this.objects.head(key))?.etag === etag;
    const quarantinedKey = await this.quarantine.move(key, now, stillOrphan, stepKey(step) ?? this.quarantine.keyFor(key, now));
    if (!quarantinedKey) {
      return { ...noLongerHolds(live, `${key} was claimed or rewritten while it was being quarantined`), resolution: undefined };
    }
    return {
      result: 'done',
      before: describeLive(live),
      after: { object: null, quarantined_key: quarantinedKey },
      resolution: 'repaired: object quarantined',
    };
  }
}
