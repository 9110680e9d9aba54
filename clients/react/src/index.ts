'use client';
// @storesync/react: the Sync Status Panel for an application's end users.
export { SyncStatusPanel, type SyncStatusPanelProps } from './SyncStatusPanel';
export { createPanelClient, type SyncPanelClient, type PanelClientOptions, type LiveHandlers, type LiveState } from './panel-client';
export { useSyncPanel, type PanelState } from './use-sync-panel';
export { PANEL_CSS } from './styles';
export type * from './wire';
