import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { syncEvent } from '@storesync/core';
import { ActionAuditDocument } from './repositories/documents';
import { ActionAuditRepository } from './repositories/action-audit.repository';

export type AuditEntry = Omit<ActionAuditDocument, 'id' | 'at'> & { at?: string };

/** Safety rule 5: each action goes to `sync_actions` and out as `repair.action`. */
@Injectable()
export class RepairAuditService {
  private readonly logger = new Logger(RepairAuditService.name);

  constructor(
    private readonly actions: ActionAuditRepository,
    private readonly events: EventEmitter2,
  ) {}

  async record(entries: AuditEntry[]): Promise<ActionAuditDocument[]> {
    const at = new Date().toISOString();
    const docs = entries.map((entry) => ({ id: randomUUID(), ...entry, at: entry.at ?? at }));
    await this.actions.append(docs);
    for (const doc of docs) {
      const { id, ...data } = doc;
      this.events.emit('repair.action', syncEvent('repair.action', doc.user_id, { action_id: id, ...data }, doc.file_id ?? undefined));
    }
    if (docs.some((d) => d.result === 'failed')) {
      this.logger.warn({ message: 'repair actions failed', repairId: docs[0].repair_id, failed: docs.filter((d) => d.result === 'failed').length });
    }
    return docs;
  }
}
