// Test-only helpers: a real SQLite file in a fresh temp dir, and valid domain objects to put in it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { VocItem, type Customer, type Department, type Interaction, type Note, type VocTopic } from '../../shared/domain/entities';
import { openLocalDatabase, type Db } from './connection';

export interface TempStore {
  dir: string;
  file: string;
  db: Db;
  cleanup(): void;
}

export function tempStore(): TempStore {
  const dir = mkdtempSync(join(tmpdir(), 'earshot-db-'));
  const file = join(dir, 'earshot.db');
  const { db } = openLocalDatabase(file);
  return {
    dir,
    file,
    db,
    cleanup() {
      if (db.open) db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export const T0 = '2026-11-25T01:00:00.000Z';

export function aCustomer(over: Partial<Customer> = {}): Customer {
  return {
    id: randomUUID(),
    displayName: '김민지',
    language: 'ko',
    segment: null,
    identities: [{ kind: 'phone', value: '+821012345678' }],
    consent: { phone: true, email: false, sms: true },
    since: '2021-03-02T00:00:00.000Z',
    value: null,
    flags: [],
    provisional: false,
    updatedAt: T0,
    ...over,
  };
}

export function anInteraction(customerId: string, over: Partial<Interaction> = {}): Interaction {
  return {
    id: randomUUID(),
    customerId,
    channel: 'call',
    direction: 'inbound',
    queue: 'general',
    agent: 'agent1',
    startedAt: T0,
    answeredAt: T0,
    endedAt: null,
    ani: '+821012345678',
    dnis: '1588-0000',
    disposition: null,
    subject: null,
    ...over,
  };
}

export function aNote(customerId: string, over: Partial<Note> = {}): Note {
  return {
    id: randomUUID(),
    customerId,
    interactionId: null,
    author: 'agent1',
    text: 'asked about the refund',
    revision: 1,
    createdAt: T0,
    updatedAt: T0,
    ...over,
  };
}

export function aVocItem(customerId: string, over: Partial<VocItem> = {}): VocItem {
  return VocItem.parse({
    id: randomUUID(),
    customerId,
    interactionId: null,
    type: 'complaint',
    topic: 'billing',
    description: 'charged twice',
    status: 'raised',
    createdBy: 'agent1',
    createdAt: T0,
    ...over,
  });
}

export function aTopic(over: Partial<VocTopic> = {}): VocTopic {
  return { id: 'billing/double-charge', parentId: 'billing', name: 'Charged twice', active: true, ...over };
}

export function aDepartment(over: Partial<Department> = {}): Department {
  return {
    id: 'billing',
    name: 'Billing',
    leadUserId: null,
    requiresApproval: false,
    assignment: 'round_robin',
    active: true,
    members: [{ userId: randomUUID(), name: 'Park Staff' }],
    ...over,
  };
}
