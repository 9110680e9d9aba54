import { Module } from '@nestjs/common';
import { AutoRepairModule } from '@storesync/auto-repair';
import { AutoRepairController } from './auto-repair.controller';

@Module({ imports: [AutoRepairModule], controllers: [AutoRepairController] })
export class AutoRepairHttpModule {}
