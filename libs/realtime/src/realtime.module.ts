import { AppConfig } from '@storesync/config';
import { DynamicModule, Module, Type } from '@nestjs/common';
import { AnalysisModule } from '@storesync/analysis';
import { AdminTokenVerifier } from './auth/admin-token.verifier';
import { TokenRevocations } from './auth/token-revocations';
import { UserTokenService } from './auth/user-token.service';
import { EventBusService } from './bus/event-bus.service';
import { EventStreamService } from './bus/event-stream.service';
import { FileCheckScheduler } from './bus/file-check.scheduler';
import { SyncGateway } from './gateway/sync.gateway';
import { DEFAULT_REALTIME_OPTIONS, REALTIME_OPTIONS, RealtimeOptions } from './realtime.options';

export interface RealtimeModuleOptions extends Partial<RealtimeOptions> {
  /** The server's admin token service (anything with `token` and `verify()`), provided elsewhere in the app. */
  adminToken: Type<AdminTokenVerifier> | Type<{ token: string; verify(candidate: string): boolean }>;
}

/** The event stream (seq, replay buffer), run-time handlers, event-driven file checks and the /sync gateway. */
@Module({})
export class RealtimeModule {
  static forRoot(options: RealtimeModuleOptions): DynamicModule {
    const { adminToken, ...tunables } = options;
    return {
      module: RealtimeModule,
      // One event stream per app, used by the change feeds and the metrics as well as the gateway.
      global: true,
      imports: [AnalysisModule],
      providers: [
        {
          provide: REALTIME_OPTIONS,
          inject: [AppConfig],
          useFactory: (config: AppConfig): RealtimeOptions => ({
            ...DEFAULT_REALTIME_OPTIONS,
            userTokenTtlSeconds: config.websocket.userTokenTtlSeconds,
            socketQueueBound: config.websocket.eventQueueSize,
            ...tunables,
          }),
        },
        { provide: AdminTokenVerifier, useExisting: adminToken },
        EventStreamService,
        FileCheckScheduler,
        EventBusService,
        TokenRevocations,
        UserTokenService,
        SyncGateway,
      ],
      exports: [EventStreamService, EventBusService, UserTokenService, TokenRevocations, FileCheckScheduler, REALTIME_OPTIONS],
    };
  }
}
