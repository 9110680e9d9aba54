import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { NotificationsService } from '@storesync/notifications';
import { DeliveriesQueryDto } from './dto/deliveries-query.dto';
import { TestNotificationDto } from './dto/test-notification.dto';

const DEFAULT_LIMIT = 100;

@ApiTags('notifications')
@ApiBearerAuth()
@Controller('api/notifications')
export class NotificationsController {
  constructor(private readonly notifications: NotificationsService) {}

  @Get('channels')
  @ApiOperation({ summary: 'Configured channels (targets without secrets) and the rules that use each' })
  channels() {
    return { channels: this.notifications.channelViews() };
  }

  @Get('deliveries')
  @ApiOperation({ summary: 'The delivery log, newest first' })
  async deliveries(@Query() query: DeliveriesQueryDto) {
    return { deliveries: await this.notifications.list({ status: query.status, channel: query.channel }, query.limit ?? DEFAULT_LIMIT) };
  }

  @Get('dead-letters')
  @ApiOperation({ summary: 'Deliveries given up on (attempts exhausted or refused by the receiver), newest first' })
  async deadLetters(@Query() query: DeliveriesQueryDto) {
    return { deliveries: await this.notifications.list({ status: 'dead_letter', channel: query.channel }, query.limit ?? DEFAULT_LIMIT) };
  }

  @Post('deliveries/:id/retry')
  @HttpCode(200)
  @ApiOperation({ summary: 'Put a dead letter back in the outbox (409 unless it is a dead letter)' })
  retry(@Param('id') id: string) {
    return this.notifications.retry(id);
  }

  @Post('test')
  @HttpCode(202)
  @ApiOperation({ summary: 'Queue a test message to one channel' })
  test(@Body() body: TestNotificationDto) {
    return this.notifications.test(body.channel);
  }
}
