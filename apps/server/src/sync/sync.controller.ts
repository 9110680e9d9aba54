import { Body, Controller, Get, HttpCode, HttpStatus, NotFoundException, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { AnalysisService, FileCheckService, IssueDocument, IssueLifecycleService, SyncQueryService } from '@storesync/analysis';
import { healthToWire } from '@storesync/storage';
import { AnalyzeRequestDto } from './dto/analyze-request.dto';
import { IssuesQueryDto, PageQueryDto, UsersQueryDto } from './dto/list-queries.dto';
import { UserAccess } from '../auth/user-access.decorator';
import { FileIdPipe, RunIdPipe } from '../http/id-params';
import { UserIdPipe } from '../http/user-id.pipe';
import { ISSUE_CSV_HEADER, issueCsvRow, presentFile, presentIssue, presentRun, presentUser } from './sync.presenter';

const DEFAULT_LIMIT = 100;
const RUN_ISSUES_SHOWN = 1000;

@ApiTags('sync')
@ApiBearerAuth()
@Controller('api/sync')
export class SyncController {
  constructor(
    private readonly analysis: AnalysisService,
    private readonly fileChecks: FileCheckService,
    private readonly queries: SyncQueryService,
    private readonly issues: IssueLifecycleService,
  ) {}

  @Post('analyze')
  @ApiOperation({ summary: 'Run a full analysis (global or one user). 409 with run_id while the same scope runs.' })
  async analyze(@Body() body: AnalyzeRequestDto, @Res({ passthrough: true }) res: Response) {
    const started = this.analysis.start({ userId: body.user_id, deep: body.deep, trigger: 'api' });
    if (body.wait === false) {
      // The run id answered must already be readable at GET /api/sync/runs/:run_id.
      await started.recorded;
      res.status(HttpStatus.ACCEPTED);
      return { run_id: started.runId };
    }
    res.status(HttpStatus.OK);
    const run = await started.done;
    const issues: IssueDocument[] = [];
    for await (const issue of this.issues.foundBy(run)) {
      issues.push(issue);
      if (issues.length > RUN_ISSUES_SHOWN) break;
    }
    issues.sort((a, b) => a.first_detected_at.localeCompare(b.first_detected_at) || a.id.localeCompare(b.id));
    return {
      ...presentRun(run),
      issues: issues.slice(0, RUN_ISSUES_SHOWN).map(presentIssue),
      issues_truncated: issues.length > RUN_ISSUES_SHOWN,
    };
  }

  @Post('check/:file_id')
  @HttpCode(200)
  @UserAccess({ file: 'params.file_id', description: 'its own files only' })
  @ApiOperation({ summary: 'Check one file by point lookups in the three stores' })
  async check(@Param('file_id', FileIdPipe) fileId: string) {
    const { check, issues } = await this.fileChecks.checkFile(fileId);
    return {
      file_id: fileId,
      status: check?.status ?? 'out_of_sync',
      stores: check?.stores ?? { mongodb: false, s3: null, qdrant: true },
      points: check?.points ?? 0,
      issues: issues.map(presentIssue),
    };
  }

  @Get('status/:user_id')
  @UserAccess({ user: ['params.user_id'], description: 'its own user_id only' })
  @ApiOperation({ summary: "One user's files with their status from the latest results (paginated)" })
  async status(@Param('user_id', UserIdPipe) userId: string, @Query() query: PageQueryDto) {
    const result = await this.queries.userStatus(userId, query.limit ?? DEFAULT_LIMIT, query.cursor);
    const files = result.files.map(presentFile);
    return {
      user_id: userId,
      status: result.tally?.status ?? 'unchecked',
      last_checked_at: result.tally?.last_checked_at ?? null,
      summary: result.tally
        ? {
            total_files: result.tally.total_files,
            synced: result.tally.synced,
            out_of_sync: result.tally.out_of_sync,
            missing: result.tally.missing,
            error: result.tally.error,
          }
        : { total_files: result.totalFiles },
      files,
      next_cursor: result.nextCursor,
    };
  }

  @Get('overview')
  async overview() {
    const o = await this.queries.overview();
    return {
      summary: o.summary,
      open_issues: o.openIssues,
      issues_by_type: o.issuesByType,
      storage: o.storage && {
        mongodb: { files: o.storage.mongodb.count, bytes: o.storage.mongodb.bytes ?? 0 },
        s3: { objects: o.storage.s3.count, bytes: o.storage.s3.bytes ?? 0 },
        qdrant: { points: o.storage.qdrant.count, files: o.storage.qdrant.files ?? 0 },
      },
      health: healthToWire(o.health),
      last_run: o.lastRun && presentRun(o.lastRun),
      runs: o.runs.map(presentRun),
      running: o.running.map(presentRun),
      updated_at: new Date().toISOString(),
    };
  }

  @Get('users')
  async users(@Query() query: UsersQueryDto) {
    const page = await this.queries.listUsers({ status: query.status, q: query.q }, query.limit ?? DEFAULT_LIMIT, query.cursor);
    return { users: page.items.map(presentUser), next_cursor: page.nextCursor };
  }

  @Get('runs')
  async runs(@Query() query: PageQueryDto) {
    const page = await this.queries.listRuns(query.limit ?? DEFAULT_LIMIT, query.cursor);
    return { runs: page.items.map(presentRun), next_cursor: page.nextCursor };
  }

  @Get('runs/:run_id')
  async run(@Param('run_id', RunIdPipe) runId: string) {
    const run = await this.queries.getRun(runId);
    if (!run) throw new NotFoundException('run not found');
    return presentRun(run);
  }

  @Get('issues')
  @UserAccess({ user: ['query.user_id'], description: 'with user_id set to its own user' })
  @ApiOperation({ summary: 'Issues, keyset-paginated; format=csv streams every matching row as CSV' })
  async listIssues(@Query() query: IssuesQueryDto, @Res({ passthrough: true }) res: Response) {
    const filter = { status: query.status, type: query.type, userId: query.user_id };
    if (query.format !== 'csv') {
      const page = await this.queries.listIssues(filter, query.limit ?? DEFAULT_LIMIT, query.cursor);
      return { issues: page.items.map(presentIssue), next_cursor: page.nextCursor };
    }
    // The first page is read before anything is sent: a bad cursor or a down store is still a 4xx/503 answer.
    let page = await this.queries.listIssues(filter, 1000, query.cursor);
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', 'attachment; filename="sync-issues.csv"');
    res.write(ISSUE_CSV_HEADER);
    for (;;) {
      for (const issue of page.items) res.write(issueCsvRow(issue));
      if (!page.nextCursor) break;
      // A failure past this point cannot change the status: the filter ends the stream unfinished.
      page = await this.queries.listIssues(filter, 1000, page.nextCursor);
    }
    res.end();
    return undefined;
  }
}
