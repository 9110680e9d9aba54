import { RunsHistory } from '@/features/analysis/components/RunsHistory';

export default function RunsPage() {
  return (
    <>
      <h1>Runs</h1>
      <RunsHistory />
    </>
  );
}
