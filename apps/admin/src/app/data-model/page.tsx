import { DataModelView } from '@/features/data-model/components/DataModelView';

export default function DataModelPage() {
  return (
    <>
      <h1>Data model</h1>
      <DataModelView />
    </>
  );
}
