'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { notificationKeys } from './queries';
import { retryDelivery, sendTest } from './service';

export function useRetryDelivery() {
  const queryClient = useQueryClient();
  return useMutation({ mutationFn: retryDelivery, onSettled: () => queryClient.invalidateQueries({ queryKey: notificationKeys.all }) });
}

export function useSendTest() {
  const queryClient = useQueryClient();
  return useMutation({ mutationFn: sendTest, onSettled: () => queryClient.invalidateQueries({ queryKey: notificationKeys.all }) });
}
