import { Module } from '@nestjs/common';
import { AnalysisModule } from '@storesync/analysis';
import { DoctorController } from './doctor.controller';

@Module({ imports: [AnalysisModule], controllers: [DoctorController] })
export class DoctorHttpModule {}
