export type { AutoRepairStatus } from '@storesync/contract';
