import { AuditTrail } from '@/features/audit/components/AuditTrail';

export default function AuditPage() {
  return (
    <>
      <h1>Audit trail</h1>
      <AuditTrail />
    </>
  );
}
