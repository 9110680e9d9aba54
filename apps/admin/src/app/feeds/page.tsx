import { FeedStatusPanels } from '@/features/feeds/components/FeedStatusPanels';

export default function FeedsPage() {
  return (
    <>
      <h1>Change feeds</h1>
      <FeedStatusPanels />
    </>
  );
}
