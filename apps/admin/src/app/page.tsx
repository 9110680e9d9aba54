import { HealthPanel, IssuesByTypePanel, LastRunPanel, RunsOverTimePanel, StoragePanel, TotalsPanel } from '@/features/overview/components/OverviewPanels';
import { AnalyzeButton } from '@/features/analysis/components/AnalyzeButton';
import { LiveFeed } from '@/features/realtime/components/LiveFeed';
import { ScrubPanel } from '@/features/scrub/components/ScrubPanel';

export default function OverviewPage() {
  return (
    <>
      <div className="page-head">
        <h1>Overview</h1>
        <AnalyzeButton label="Analyze all users" testId="analyze-all" withDeepOption />
      </div>
      <div className="grid overview-grid">
        <TotalsPanel />
        <HealthPanel />
        <LastRunPanel />
        <IssuesByTypePanel />
        <StoragePanel />
        <RunsOverTimePanel />
        <ScrubPanel />
        <LiveFeed />
      </div>
    </>
  );
}
