import { Body, Controller, Get, HttpCode, HttpStatus, NotFoundException, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { EventBusService, EventStreamService, UserTokenService } from '@storesync/realtime';
import { FileEventDto } from './dto/file-event.dto';
import { IssueTokenDto } from './dto/issue-token.dto';
import { RevokeTokenDto } from './dto/revoke-token.dto';

@ApiTags('events')
@ApiBearerAuth()
@Controller('api/sync')
export class EventsController {
  constructor(
    private readonly bus: EventBusService,
    private readonly stream: EventStreamService,
    private readonly tokens: UserTokenService,
  ) {}

  /** A token for one user's Socket.IO events (admin only: the route needs the admin token). */
  @Post('tokens')
  @HttpCode(HttpStatus.OK)
  issueToken(@Body() body: IssueTokenDto) {
    const { token, expiresAt } = this.tokens.issue(body.user_id, body.ttl_seconds);
    return { token, user_id: body.user_id, expires_at: expiresAt.toISOString() };
  }

  /**
   * Revokes a user token before its expiry (admin only): it is refused from then on, over
   * REST and Socket.IO, and sockets opened with it are disconnected. 404 when it is not a
   * live user token (forged, expired or already revoked).
   */
  @Post('tokens/revoke')
  @HttpCode(HttpStatus.OK)
  async revokeToken(@Body() body: RevokeTokenDto) {
    const claims = await this.tokens.revoke(body.token);
    if (!claims) throw new NotFoundException('no live user token matches (forged, expired or already revoked)');
    return { revoked: true, user_id: claims.userId, expires_at: claims.expiresAt.toISOString() };
  }

  /** 202: published at once; a single-file check follows after the grace window (bursts per file coalesce). */
  @Post('events')
  @HttpCode(HttpStatus.ACCEPTED)
  notify(@Body() body: FileEventDto) {
    const file = { userId: body.user_id, fileId: body.file_id, fileKey: body.file_key, fileName: body.file_name };
    switch (body.type) {
      case 'file.uploaded':
        this.bus.handleFileUpload(file);
        break;
      case 'file.deleted':
        this.bus.handleFileDelete(file);
        break;
      case 'embedding.created':
        this.bus.handleEmbeddingCreated({ ...file, chunks: body.chunks, model: body.model });
        break;
      case 'embedding.deleted':
        this.bus.handleEmbeddingDeleted(file);
        break;
    }
    return { accepted: true, type: body.type, file_id: body.file_id };
  }

  /** The event stream's position, replay buffer use and drops. */
  @Get('events/stats')
  stats() {
    const s = this.stream.stats();
    return { seq: s.seq, buffered: s.buffered, capacity: s.capacity, dropped: s.dropped };
  }
}
