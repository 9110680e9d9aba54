import { Injectable } from '@nestjs/common';
import type { StoreName } from '@storesync/core';
import { MetadataStore, ObjectStore, VectorStore } from './ports';

export interface StoreHealth {
  store: StoreName;
  kind: string;
  ok: boolean;
  latencyMs: number;
  error?: string;
}

/** The snake_case shape of one store's health on the wire (HTTP and store.health events). */
export interface StoreHealthWire {
  ok: boolean;
  kind: string;
  latency_ms: number;
  error?: string;
}

export function healthToWire(stores: Record<StoreName, StoreHealth>): Record<StoreName, StoreHealthWire> {
  const wire = (s: StoreHealth): StoreHealthWire => ({ ok: s.ok, kind: s.kind, latency_ms: s.latencyMs, ...(s.error ? { error: s.error } : {}) });
  return { mongodb: wire(stores.mongodb), s3: wire(stores.s3), qdrant: wire(stores.qdrant) };
}

/** Pings each store; a store that does not answer is down, whatever data it holds. */
@Injectable()
export class StoreHealthService {
  constructor(
    private readonly metadata: MetadataStore,
    private readonly objects: ObjectStore,
    private readonly vectors: VectorStore,
  ) {}

  async check(): Promise<Record<StoreName, StoreHealth>> {
    const [mongodb, s3, qdrant] = await Promise.all([
      this.probe('mongodb', this.metadata.kind, () => this.metadata.ping()),
      this.probe('s3', this.objects.kind, () => this.objects.ping()),
      this.probe('qdrant', this.vectors.kind, () => this.vectors.ping()),
    ]);
    return { mongodb, s3, qdrant };
  }

  private async probe(store: StoreName, kind: string, ping: () => Promise<void>): Promise<StoreHealth> {
    const started = performance.now();
    try {
      await ping();
      return { store, kind, ok: true, latencyMs: Math.round(performance.now() - started) };
    } catch (error) {
      return { store, kind, ok: false, latencyMs: Math.round(performance.now() - started), error: (error as Error).message };
    }
  }
}
