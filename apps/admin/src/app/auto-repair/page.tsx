import { AutoRepairPolicy } from '@/features/auto-repair/components/AutoRepairPolicy';

export default function AutoRepairPage() {
  return (
    <>
      <h1>Automatic repair</h1>
      <AutoRepairPolicy />
    </>
  );
}
