import { AppConfig } from '@storesync/config';
import type { SyncRules } from '@storesync/core';

/** Types the pipeline stores but does not embed: such files are synced without points. */
export const NOT_EMBEDDED_CONTENT_TYPES = ['image/*', 'audio/*', 'video/*', 'application/zip', 'application/octet-stream'];

export class SyncRulesProvider {
  static create(config: AppConfig): SyncRules {
    return {
      graceSeconds: config.sync.graceSeconds,
      notEmbeddedContentTypes: NOT_EMBEDDED_CONTENT_TYPES,
      quarantinePrefix: config.sync.quarantinePrefix,
    };
  }
}
