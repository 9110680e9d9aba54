import { QuarantineTable } from '@/features/quarantine/components/QuarantineTable';

export default function QuarantinePage() {
  return (
    <>
      <h1>Quarantine</h1>
      <QuarantineTable />
    </>
  );
}
