'use client';

import { Panel } from '@/components/Panel';
import { useDataModel } from '../api/queries';
import type { DataModelFile } from '../api/types';

function activeRule(active: DataModelFile['metadata']['active']): string {
  if (active.missing) return `active while ${active.field} is absent`;
  if (active.equals !== undefined) return `active when ${active.field} = ${String(active.equals)} (a soft delete writes ${String(active.inactive_value)})`;
  return `${active.field} = false marks a deleted file`;
}

function FieldTable({ id, caption, fields }: { id: string; caption: string; fields: Record<string, string | null> }) {
  return (
    <table data-testid={id}>
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">storesync field</th>
          <th scope="col">stored at</th>
        </tr>
      </thead>
      <tbody>
        {Object.entries(fields).map(([field, at]) => (
          <tr key={field}>
            <th scope="row">
              <code>{field}</code>
            </th>
            <td>{at === null ? <em>not stored: not checked</em> : <code>{at}</code>}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The data model in force, read-only: where each store keeps storesync's fields. */
export function DataModelView() {
  const query = useDataModel();
  const model = query.data?.config;
  return (
    <>
      <Panel
        id="data-model-source"
        title="Source"
        isLoading={query.isLoading}
        error={query.error}
        onRetry={() => void query.refetch()}
        updatedAt={query.dataUpdatedAt || null}
      >
        {query.data && (
          <p data-testid="data-model-source">
            {query.data.source === 'defaults' ? "storesync's own layout (no config file)" : <code>{query.data.source}</code>}. Change it in the config file (
            <code>STORESYNC_CONFIG</code>) and restart; <code>npm run cli -- doctor</code> proposes one.
          </p>
        )}
      </Panel>
      {model && (
        <>
          <Panel id="data-model-metadata" title={`MongoDB: ${model.metadata.collection}`}>
            <p>{activeRule(model.metadata.active)}</p>
            <FieldTable id="data-model-metadata-fields" caption="Metadata fields" fields={model.metadata.fields} />
          </Panel>
          <Panel id="data-model-objects" title={`S3: ${model.objects.bucket}`}>
            <dl>
              <dt>User from key</dt>
              <dd>
                <code>{model.objects.user_from_key}</code>
              </dd>
              <dt>Ignored prefixes</dt>
              <dd>{model.objects.ignore_prefixes.length > 0 ? model.objects.ignore_prefixes.map((p) => <code key={p}>{p} </code>) : 'none'}</dd>
            </dl>
          </Panel>
          <Panel id="data-model-vectors" title={`Qdrant: ${model.vectors.collection}`}>
            <p>
              Vector: {model.vectors.vector_name ? <code>{model.vectors.vector_name}</code> : 'the unnamed one'}; layout {model.vectors.layout}
            </p>
            <FieldTable id="data-model-payload-fields" caption="Payload fields" fields={model.vectors.payload} />
          </Panel>
          <Panel id="data-model-rules" title="Sync rules">
            <p>
              Not embedded (synced without points):{' '}
              {model.rules.not_embedded_content_types.map((t) => (
                <code key={t}>{t} </code>
              ))}
            </p>
          </Panel>
        </>
      )}
    </>
  );
}
