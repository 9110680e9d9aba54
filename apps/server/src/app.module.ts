import { DynamicModule, Module } from '@nestjs/common';
import { AppConfigModule } from '@storesync/config';
import { EventPublisherModule } from '@storesync/events';
import { SchedulingModule } from '@storesync/scheduling';
import { StorageModule } from '@storesync/storage';
import { AuthModule } from './auth/auth.module';
import { EventsModule } from './events/events.module';
import { FilesModule } from './files/files.module';
import { DemoModule } from './demo/demo.module';
import { DoctorHttpModule } from './doctor/doctor-http.module';
import { HealthModule } from './health/health.module';
import { MetricsHttpModule } from './metrics/metrics-http.module';
import { FeedsHttpModule } from './feeds/feeds-http.module';
import { NotificationsHttpModule } from './notifications/notifications-http.module';
import { AutoRepairHttpModule } from './auto-repair/auto-repair-http.module';
import { ScrubHttpModule } from './scrub/scrub-http.module';
import { PanelDemoModule } from './demo/panel-demo.module';
import { RepairHttpModule } from './repair/repair-http.module';
import { SyncHttpModule } from './sync/sync-http.module';

/** Composition root only: imports the feature modules, owns no logic. */
@Module({})
export class AppModule {
  static forRoot(overrides: Record<string, string | undefined> = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [
        AppConfigModule.forRoot(overrides),
        EventPublisherModule,
        StorageModule,
        AuthModule,
        SyncHttpModule,
        DoctorHttpModule,
        DemoModule,
        PanelDemoModule,
        FilesModule,
        EventsModule,
        SchedulingModule,
        RepairHttpModule,
        HealthModule,
        MetricsHttpModule,
        FeedsHttpModule,
        NotificationsHttpModule,
        AutoRepairHttpModule,
        ScrubHttpModule,
      ],
    };
  }
}
