import { ChannelsPanel } from '@/features/notifications/components/ChannelsPanel';
import { DeliveryLog } from '@/features/notifications/components/DeliveryLog';

export default function NotificationsPage() {
  return (
    <>
      <h1>Notifications</h1>
      <ChannelsPanel />
      <DeliveryLog />
    </>
  );
}
