import { Module } from '@nestjs/common';
import { RepairModule } from '@storesync/repair';
import { RepairController } from './repair.controller';
import { UserFixService } from './user-fix.service';

/** HTTP surface of repairs: fix (plan / execute), the audit trail, quarantine restore. */
@Module({ imports: [RepairModule], controllers: [RepairController], providers: [UserFixService] })
export class RepairHttpModule {}
