/**
 * Every server-state key starts with `sync`, so a replay gap or a reconnect can
 * invalidate the whole cache at once. Features extend it with their own factories.
 */
export const syncKeys = {
  all: ['sync'] as const,
};
