import type { IssueType } from '@storesync/core';
import { issueKey, seedFile } from './dataset';
import type { FoundIssue } from './analysis.bench';

export interface Score {
  expected: number;
  found: number;
  truePositives: number;
  precision: number;
  recall: number;
  /** Per type: expected, found, missed, unexpected. */
  byType: Record<string, { expected: number; found: number; missed: number; unexpected: number }>;
  /** A few examples of each mistake, for the log. */
  missedExamples: string[];
  unexpectedExamples: string[];
}

/** Compares a run's issues with what was planted, by (type, file id or orphan key). */
export function scoreIssues(size: number, chunks: number, types: IssueType[], found: FoundIssue[]): Score {
  const expected = new Set<string>();
  const byType: Score['byType'] = {};
  const row = (type: string) => (byType[type] ??= { expected: 0, found: 0, missed: 0, unexpected: 0 });
  for (let i = 0; i < size; i++) {
    const planted = seedFile(i, chunks, 0).expected;
    if (!planted || !types.includes(planted.type)) continue;
    expected.add(issueKey(planted.type, planted.key));
    row(planted.type).expected += 1;
  }
  const seen = new Set<string>();
  const unexpectedExamples: string[] = [];
  let truePositives = 0;
  for (const issue of found) {
    const key = issueKey(issue.type, issue.key);
    if (seen.has(key)) continue;
    seen.add(key);
    row(issue.type).found += 1;
    if (expected.has(key)) truePositives += 1;
    else {
      row(issue.type).unexpected += 1;
      if (unexpectedExamples.length < 5) unexpectedExamples.push(key);
    }
  }
  const missedExamples: string[] = [];
  for (const key of expected) {
    if (seen.has(key)) continue;
    row(key.split(' ')[0]).missed += 1;
    if (missedExamples.length < 5) missedExamples.push(key);
  }
  return {
    expected: expected.size,
    found: seen.size,
    truePositives,
    precision: seen.size === 0 ? (expected.size === 0 ? 1 : 0) : truePositives / seen.size,
    recall: expected.size === 0 ? 1 : truePositives / expected.size,
    byType,
    missedExamples,
    unexpectedExamples,
  };
}
