'use client';

import { useEffect, useRef, useState } from 'react';
import { Dialog } from '@/components/Dialog';
import { errorMessage, StoreSyncError } from '@/lib/api/client';
import { humanize } from '@/lib/format';
import { useApplyFix, useFixPlan } from '../api/mutations';
import { fetchPlanLines } from '../api/service';
import type { FixAction, FixResponse, FixSelection } from '../api/types';

interface FixDialogProps {
  open: boolean;
  /** What to fix; the dialog asks for a dry run as soon as it opens. */
  selection: FixSelection;
  /** "3 selected issues", "user alice"… */
  scopeLabel: string;
  onClose: () => void;
}

type Step = 'plan' | 'confirm-destructive' | 'result';

function looksLikeCircuitBreaker(error: unknown): boolean {
  return StoreSyncError.is(error, 'circuit_breaker');
}

function ActionsTable({ actions, showResult, testId }: { actions: FixAction[]; showResult: boolean; testId: string }) {
  return (
    <div className="table-scroll">
      <table className="table compact">
        <thead>
          <tr>
            <th scope="col">Issue</th>
            <th scope="col">Action</th>
            <th scope="col">Target</th>
            <th scope="col">Kind</th>
            {showResult && <th scope="col">Result</th>}
          </tr>
        </thead>
        <tbody>
          {actions.map((action) => (
            <tr key={`${action.issue_id}-${action.action}`} data-testid={testId} data-destructive={action.destructive} data-result={action.result}>
              <td>{humanize(action.type)}</td>
              <td>{humanize(action.action)}</td>
              <td className="mono wrap">{action.target}</td>
              <td>{action.destructive ? <span className="tag tag-danger">destructive</span> : <span className="tag">safe</span>}</td>
              {showResult && (
                <td>
                  <span className={`result result-${action.result}`}>{action.result}</span>
                  {action.reason ? <span className="reason"> — {action.reason}</span> : null}
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/**
 * Dry run → the plan → confirm → fix. Destructive actions are called out in the plan and
 * need a second, separate confirmation; without it they are not allowed.
 */
export function FixDialog({ open, selection, scopeLabel, onClose }: FixDialogProps) {
  const plan = useFixPlan();
  const apply = useApplyFix();
  const [step, setStep] = useState<Step>('plan');
  const [includeDestructive, setIncludeDestructive] = useState(false);
  const [force, setForce] = useState(false);
  const { mutate: requestPlan, reset: resetPlan } = plan;
  const { reset: resetApply } = apply;
  // The selection is frozen when the dialog opens: lists refetching underneath (issues
  // resolved by this very fix) must not change the plan being confirmed.
  const latestSelection = useRef(selection);
  latestSelection.current = selection;
  const [frozenSelection, setFrozenSelection] = useState<FixSelection>(selection);

  useEffect(() => {
    if (!open) return;
    const snapshot = latestSelection.current;
    setFrozenSelection(snapshot);
    setStep('plan');
    setIncludeDestructive(false);
    setForce(false);
    resetApply();
    requestPlan(snapshot);
    return () => resetPlan();
  }, [open, requestPlan, resetPlan, resetApply]);

  const planned: FixResponse | undefined = plan.data;
  // A plan of any size: its first page comes with the dry run, the rest a page at a time on request.
  const [more, setMore] = useState<{ planId: string; actions: FixAction[]; cursor: string | null; loading: boolean; error: string | null } | null>(null);
  const extra = more && planned && more.planId === planned.plan_id ? more : null;
  const lines = planned ? [...planned.actions, ...(extra?.actions ?? [])] : [];
  const nextCursor = extra ? extra.cursor : (planned?.next_cursor ?? null);
  const loadMore = () => {
    if (!planned || !nextCursor) return;
    const planId = planned.plan_id;
    setMore({ planId, actions: extra?.actions ?? [], cursor: nextCursor, loading: true, error: null });
    fetchPlanLines(planId, nextCursor).then(
      (page) => setMore({ planId, actions: [...(extra?.actions ?? []), ...page.actions], cursor: page.next_cursor, loading: false, error: null }),
      (error: unknown) => setMore({ planId, actions: extra?.actions ?? [], cursor: nextCursor, loading: false, error: errorMessage(error) }),
    );
  };
  const actionable = lines.filter((action) => action.result === 'planned');
  const destructive = actionable.filter((action) => action.destructive);
  const safe = actionable.filter((action) => !action.destructive);
  const toApply = includeDestructive ? actionable.length : safe.length;

  const runApply = (allowDestructive: boolean) => {
    if (!planned) return;
    apply.mutate({ selection: frozenSelection, planId: planned.plan_id, allowDestructive, force }, { onSuccess: () => setStep('result') });
  };

  return (
    <Dialog open={open} title={`Fix ${scopeLabel}`} onClose={onClose} testId="fix-dialog" wide>
      {plan.isPending && (
        <p role="status" className="panel-loading">
          Working out the plan (dry run, nothing changes)…
        </p>
      )}
      {plan.isError && (
        <div className="panel-error" role="alert">
          <p>The dry run was refused: {errorMessage(plan.error)}</p>
        </div>
      )}

      {planned && step === 'plan' && (
        <div data-testid="fix-plan" data-plan-id={planned.plan_id}>
          <p className="callout">
            <strong>Dry run — nothing has changed yet.</strong> {planned.summary.planned} action{planned.summary.planned === 1 ? '' : 's'} planned
            {destructive.length > 0 ? `, ${destructive.length}${nextCursor ? ' of those shown' : ' of them'} destructive` : ''}
            {planned.summary.skipped > 0 ? `; ${planned.summary.skipped} skipped` : ''}.
          </p>
          {lines.length === 0 ? (
            <p className="empty">Nothing to fix: no open issue in this selection can be repaired.</p>
          ) : (
            <ActionsTable actions={lines} showResult={lines.some((a) => a.result !== 'planned')} testId="plan-row" />
          )}
          {(planned.total_actions ?? lines.length) > lines.length && (
            <p className="small" data-testid="plan-paging">
              Showing {lines.length} of {planned.total_actions} lines.{' '}
              <button type="button" className="link-button" onClick={loadMore} disabled={extra?.loading === true} data-testid="plan-more">
                {extra?.loading ? 'Loading…' : 'Show more'}
              </button>
              {extra?.error && <span role="alert"> Could not load more lines: {extra.error}</span>}
            </p>
          )}
          {destructive.length > 0 && (
            <div className="callout callout-danger">
              <p>
                <strong>
                  {destructive.length} destructive action{destructive.length === 1 ? '' : 's'}
                </strong>{' '}
                remove data from a store (objects go to quarantine, metadata is soft-deleted). They are left out unless you include them and confirm again.
              </p>
              <label className="checkbox">
                <input
                  type="checkbox"
                  checked={includeDestructive}
                  onChange={(event) => setIncludeDestructive(event.target.checked)}
                  data-testid="include-destructive"
                />
                Include the {destructive.length} destructive action{destructive.length === 1 ? '' : 's'}
              </label>
            </div>
          )}
          {apply.isError && (
            <div className="panel-error" role="alert">
              <p>The fix was refused: {errorMessage(apply.error)}</p>
              {looksLikeCircuitBreaker(apply.error) && (
                <label className="checkbox">
                  <input type="checkbox" checked={force} onChange={(event) => setForce(event.target.checked)} />
                  Override the circuit breaker (I have checked the stores are the right ones)
                </label>
              )}
            </div>
          )}
          <div className="dialog-actions">
            <button type="button" onClick={onClose}>
              Cancel
            </button>
            <button
              type="button"
              className="primary"
              disabled={toApply === 0 || apply.isPending}
              onClick={() => (includeDestructive ? setStep('confirm-destructive') : runApply(false))}
              data-testid="confirm-fix"
            >
              {apply.isPending ? 'Applying…' : `Apply ${toApply} action${toApply === 1 ? '' : 's'}`}
            </button>
          </div>
        </div>
      )}

      {planned && step === 'confirm-destructive' && (
        <div className="callout callout-danger" data-testid="confirm-destructive-step">
          <p>
            <strong>Confirm the destructive actions.</strong> {destructive.length === 1 ? 'This action removes' : `These ${destructive.length} actions remove`}{' '}
            data from a store. Each is re-checked against the live stores right before it runs.
          </p>
          <ActionsTable actions={destructive} showResult={false} testId="destructive-row" />
          {apply.isError && (
            <p role="alert" className="panel-error">
              The fix was refused: {errorMessage(apply.error)}
            </p>
          )}
          <div className="dialog-actions">
            <button type="button" onClick={() => setStep('plan')}>
              Back to the plan
            </button>
            <button type="button" className="danger" disabled={apply.isPending} onClick={() => runApply(true)} data-testid="confirm-destructive">
              {apply.isPending ? 'Applying…' : `Yes, apply all ${actionable.length} including ${destructive.length} destructive`}
            </button>
          </div>
        </div>
      )}

      {step === 'result' && apply.data && (
        <div data-testid="fix-result">
          <p className="callout" role="status">
            Repair {apply.data.repair_id}: {apply.data.summary.done} done, {apply.data.summary.skipped} skipped, {apply.data.summary.failed} failed.
          </p>
          <ActionsTable actions={apply.data.actions} showResult testId="result-row" />
          <div className="dialog-actions">
            <button type="button" className="primary" onClick={onClose}>
              Close
            </button>
          </div>
        </div>
      )}
    </Dialog>
  );
}
