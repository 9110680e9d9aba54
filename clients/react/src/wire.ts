// The wire types the panel reads, from the TypeScript client (which re-exports @storesync/contract).
export type {
  DisplayStatus,
  FileCheckResponse,
  FileStatus,
  FixRequest,
  FixResponse,
  Issue,
  IssueType,
  RepairActionName,
  SessionResponse,
  Status,
  Store,
  SyncEvent,
  UserStatusResponse,
} from '@storesync/client';
export { STORES } from '@storesync/client';
