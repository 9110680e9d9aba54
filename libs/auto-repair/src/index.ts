export { AutoRepairModule } from './auto-repair.module';
export { AutoRepairService, type AutoRepairStatus, type AutoRepairBatch } from './auto-repair.service';
export { RateWindow } from './rate-window';
