import { AppConfig } from '@storesync/config';
import { KeyLayout, SyncRules } from '@storesync/core';

/** The sync rules of the configured data model (config file `rules`, `objects`). */
export class SyncRulesProvider {
  static create(config: AppConfig): SyncRules {
    const model = config.dataModel;
    return {
      graceSeconds: config.sync.graceSeconds,
      notEmbeddedContentTypes: model.rules.notEmbeddedContentTypes,
      quarantinePrefix: config.sync.quarantinePrefix,
      keyLayout: new KeyLayout(model.objects.userFromKey, model.objects.ignorePrefixes),
    };
  }
}
