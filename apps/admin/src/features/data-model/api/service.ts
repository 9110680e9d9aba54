import { apiRequest } from '@/lib/api/client';
import type { DataModelResponse } from './types';

export function fetchDataModel(signal?: AbortSignal): Promise<DataModelResponse> {
  return apiRequest<DataModelResponse>('/api/data-model', { signal });
}
