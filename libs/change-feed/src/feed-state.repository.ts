import { Injectable } from '@nestjs/common';
import { StateCollection, StateDocument, StateStore } from '@storesync/storage';

/** Where a feed got to, kept across restarts so a restart re-reads what it missed. */
export interface FeedStateDocument extends StateDocument {
  /** `mongodb` or `s3`. */
  id: string;
  mode: string;
  /** The change stream's resume token (JSON), or null. */
  resume_token: unknown;
  /** Changes up to this instant are known to have been seen (ISO); a re-read starts an overlap before it. */
  high_water: string | null;
  last_event_at: string | null;
  updated_at: string;
}

@Injectable()
export class FeedStateRepository {
  private readonly feeds: StateCollection<FeedStateDocument>;

  constructor(state: StateStore) {
    this.feeds = state.collection<FeedStateDocument>('change_feed_state');
  }

  get(feed: string): Promise<FeedStateDocument | null> {
    return this.feeds.get(feed);
  }

  save(doc: FeedStateDocument): Promise<void> {
    return this.feeds.upsertMany([doc]);
  }
}
