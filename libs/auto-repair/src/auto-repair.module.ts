import { Module } from '@nestjs/common';
import { RepairModule } from '@storesync/repair';
import { AutoRepairService } from './auto-repair.service';

/** Opt-in repair on detection (AUTO_REPAIR_TYPES), through the repair module's service. */
@Module({ imports: [RepairModule], providers: [AutoRepairService], exports: [AutoRepairService] })
export class AutoRepairModule {}
