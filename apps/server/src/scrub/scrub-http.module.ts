import { Module } from '@nestjs/common';
import { ScrubberModule } from '@storesync/scrubber';
import { ScrubController } from './scrub.controller';

@Module({ imports: [ScrubberModule], controllers: [ScrubController] })
export class ScrubHttpModule {}
