export type { DataModelFile, DataModelResponse } from '@storesync/contract';
