import { Injectable } from '@nestjs/common';
import { StateCollection, StateStore } from '@storesync/storage';
import { PlanDocument } from './documents';

@Injectable()
export class PlanRepository {
  private readonly plans: StateCollection<PlanDocument>;

  constructor(state: StateStore) {
    this.plans = state.collection<PlanDocument>('sync_repair_plans', [['created_at']]);
  }

  save(plan: PlanDocument): Promise<void> {
    return this.plans.insert(plan);
  }

  get(id: string): Promise<PlanDocument | null> {
    return this.plans.get(id);
  }

  async markExecuted(plan: PlanDocument, repairId: string): Promise<void> {
    await this.plans.update(plan.id, { executed_by: [...plan.executed_by, repairId] });
  }
}
