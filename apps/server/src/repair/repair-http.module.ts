import { Module } from '@nestjs/common';
import { RepairModule } from '@storesync/repair';
import { RepairController } from './repair.controller';

/** HTTP surface of repairs: fix (plan / execute), the audit trail, quarantine restore. */
@Module({ imports: [RepairModule], controllers: [RepairController] })
export class RepairHttpModule {}
