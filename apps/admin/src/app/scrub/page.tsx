import { ScrubPanel } from '@/features/scrub/components/ScrubPanel';

export default function ScrubPage() {
  return (
    <>
      <h1>Scrubber</h1>
      <ScrubPanel />
    </>
  );
}
