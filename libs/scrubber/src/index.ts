export { ScrubberModule } from './scrubber.module';
export { ScrubberService, SCRUB_LOCK, type StartedScrub } from './scrubber.service';
export { ScrubStatusService, toWire as scrubRunToWire } from './scrub-status.service';
export { ScrubRunningError } from './scrub.errors';
export { BytePacing, BytePacer } from './byte-pacer';
export { hashObject, type ObjectVerdict } from './object-verifier';
export type { ScrubRunDocument } from './scrub-state.repository';
