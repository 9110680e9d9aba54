import { api } from '@/lib/api/client';
import type { DataModelResponse } from './types';

export function fetchDataModel(signal?: AbortSignal): Promise<DataModelResponse> {
  return api.dataModel({ signal });
}
