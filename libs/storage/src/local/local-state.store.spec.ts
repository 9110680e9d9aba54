import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { LocalStateStore, pageQueries } from './local-state.store';

interface IssueDoc {
  id: string;
  status: string;
  type: string;
  user_id: string;
  first_detected_at: string;
}

// The sync_issues indexes (libs/analysis IssueRepository): the planner pages open issues by first detection.
const ISSUE_INDEXES = [['fingerprint', 'status'], ['status', 'first_detected_at'], ['user_id', 'status'], ['file_id'], ['run_id']];

describe('LocalStateStore keyset paging', () => {
  let dir: string;
  let store: LocalStateStore;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'local-state-paging-'));
    store = new LocalStateStore({ dataDir: dir });
  });
  afterEach(async () => {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** 1,234 issues over 3 detection times: most pages start inside a run of equal sort values. */
  async function seed(): Promise<IssueDoc[]> {
    const issues = store.collection<IssueDoc>('sync_issues', ISSUE_INDEXES);
    const docs = Array.from({ length: 1234 }, (_, i) => ({
      id: `i${String((i * 7919) % 1234).padStart(5, '0')}`,
      status: i % 10 === 0 ? 'resolved' : 'open',
      type: i % 3 === 0 ? 'missing_object' : 'orphan_vectors',
      user_id: `u${i % 4}`,
      first_detected_at: new Date(Date.UTC(2026, 0, 1 + (i % 3))).toISOString(),
    }));
    await issues.insertMany(docs);
    return docs;
  }

  it.each(['asc', 'desc'] as const)('returns every match once, in (sort value, id) %s order, across pages', async (order) => {
    const docs = await seed();
    const issues = store.collection<IssueDoc>('sync_issues', ISSUE_INDEXES);
    const sign = order === 'asc' ? 1 : -1;
    const expected = docs
      .filter((d) => d.status === 'open' && d.type === 'orphan_vectors')
      .sort((a, b) => sign * (a.first_detected_at.localeCompare(b.first_detected_at) || a.id.localeCompare(b.id)))
      .map((d) => d.id);
    const seen: string[] = [];
    let after: { value: string; id: string } | undefined;
    for (;;) {
      const page = await issues.find({ status: 'open', type: 'orphan_vectors' }, { sortBy: 'first_detected_at', order, limit: 100, after });
      seen.push(...page.map((d) => d.id));
      if (page.length < 100) break;
      after = { value: page[page.length - 1].first_detected_at, id: page[page.length - 1].id };
    }
    expect(seen).toEqual(expected);
  });

  it('pages by index ranges: no page re-reads or re-sorts what is left', async () => {
    await seed();
    const issues = store.collection<IssueDoc>('sync_issues', ISSUE_INDEXES);
    // The first page sorted by first_detected_at closes its index with id.
    await issues.find({ status: 'open', type: 'orphan_vectors' }, { sortBy: 'first_detected_at', limit: 500 });
    const db = new DatabaseSync(path.join(dir, 'storesync.db'));
    try {
      const plan = (sql: string, params: (string | number | null)[]) =>
        (db.prepare(`EXPLAIN QUERY PLAN ${sql} LIMIT 500`).all(...params) as { detail: string }[]).map((r) => r.detail).join(' | ');
      const after = { value: '2026-01-02T00:00:00.000Z', id: 'i00100' };
      const [sameValue, later] = pageQueries('"sync_issues"', { status: 'open', type: 'orphan_vectors' }, { sortBy: 'first_detected_at', limit: 500, after });
      // The rest of the cursor's detection time: a seek on (status, first_detected_at) then a range on id.
      expect(plan(sameValue.sql, sameValue.params)).toMatch(
        /SEARCH sync_issues USING INDEX sync_issues_status_first_detected_at__id \(<expr>=\? AND <expr>=\? AND id>\?\)/,
      );
      // Later detection times: a range on the index, already in (first_detected_at, id) order.
      expect(plan(later.sql, later.params)).toMatch(/SEARCH sync_issues USING INDEX sync_issues_status_first_detected_at__id \(<expr>=\? AND <expr>>\?\)/);
      const [first] = pageQueries('"sync_issues"', { status: 'open' }, { sortBy: 'first_detected_at', limit: 500 });
      for (const query of [sameValue, later, first]) expect(plan(query.sql, query.params)).not.toMatch(/TEMP B-TREE|SCAN sync_issues/);
    } finally {
      db.close();
    }
  });

  /** The table's indexes as name → columns (the part of their SQL from ON). */
  function indexesOf(table: string): Record<string, string> {
    const db = new DatabaseSync(path.join(dir, 'storesync.db'));
    try {
      const rows = db.prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL`).all(table) as {
        name: string;
        sql: string;
      }[];
      return Object.fromEntries(rows.map((r) => [r.name, r.sql.slice(r.sql.indexOf('(') + 1, -1)]));
    } finally {
      db.close();
    }
  }

  it('closes with id only the index a keyset page uses, and keeps it so', async () => {
    await seed();
    expect(Object.keys(indexesOf('sync_issues')).sort()).toEqual(ISSUE_INDEXES.map((fields) => `sync_issues_${fields.join('_')}`).sort());
    const issues = store.collection<IssueDoc>('sync_issues', ISSUE_INDEXES);
    await issues.find({ status: 'open' }, { sortBy: 'first_detected_at', limit: 10 });
    const closed = indexesOf('sync_issues');
    expect(closed['sync_issues_status_first_detected_at__id']).toBe("json_extract(doc, '$.status'), json_extract(doc, '$.first_detected_at'), id");
    expect(closed).not.toHaveProperty('sync_issues_status_first_detected_at');
    // The others are not paged by a sort field: no longer entries to write.
    expect(closed['sync_issues_file_id']).toBe("json_extract(doc, '$.file_id')");
    await store.close();
    store = new LocalStateStore({ dataDir: dir });
    store.collection<IssueDoc>('sync_issues', ISSUE_INDEXES);
    expect(indexesOf('sync_issues')).toEqual(closed);
  });

  it("leaves another declared index alone when its name is the closed one's old name", async () => {
    // ['file_id'] is named docs_file_id; ['file'] closed was named docs_file_id by an earlier version.
    const docs = store.collection<{ id: string; file: string; file_id: string }>('docs', [['file'], ['file_id']]);
    await docs.find({}, { sortBy: 'file', limit: 10 });
    await docs.find({}, { sortBy: 'file_id', limit: 10 });
    expect(indexesOf('docs')).toEqual({
      docs_file__id: "json_extract(doc, '$.file'), id",
      docs_file_id__id: "json_extract(doc, '$.file_id'), id",
    });
  });

  it('takes an index closed by an earlier version (named <index>_id) as closed', async () => {
    const db = new DatabaseSync(path.join(dir, 'storesync.db'));
    try {
      db.exec(`CREATE TABLE "runs" (id TEXT PRIMARY KEY, doc TEXT NOT NULL)`);
      db.exec(`CREATE INDEX "runs_started_at_id" ON "runs" (json_extract(doc, '$.started_at'), id)`);
    } finally {
      db.close();
    }
    const runs = store.collection('runs', [['started_at']]);
    await runs.find({}, { sortBy: 'started_at', limit: 10 });
    expect(indexesOf('runs')).toEqual({ runs_started_at_id: "json_extract(doc, '$.started_at'), id" });
  });
});
