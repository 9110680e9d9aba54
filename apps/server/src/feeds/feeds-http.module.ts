import { Module } from '@nestjs/common';
import { ChangeFeedModule } from '@storesync/change-feed';
import { FeedsController } from './feeds.controller';

@Module({ imports: [ChangeFeedModule], controllers: [FeedsController] })
export class FeedsHttpModule {}
