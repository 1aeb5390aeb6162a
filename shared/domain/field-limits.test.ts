// Every schema a typed field passes through takes exactly its limit from field-limits.ts: a value of
// `limit` characters is accepted and one of `limit + 1` refused, on the wire, in the DesktopApi and
// in the entities. (The renderer's inputs are checked against the same constants in their own tests.)
// And every one applies the one text policy (text-policy.ts) as its door does: the wire refuses a
// control character, the DesktopApi cleans it away so what the agent typed is saved.
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { desktopApiMethods } from '../api/index';
import { RejectedEdit } from '../api/rejected';
import { settingSchemas } from '../api/settings';
import { CallControlRequest, LoginRequest, MarkGreatServiceRequest, NoteSaveArgs, VocCreateArgs, GreatService } from '../protocol/index';
import { Note, VocItem } from './entities';
import {
  CUSTOMER_SEARCH_MAX_CHARS,
  GREAT_SERVICE_WHY_MAX,
  NOTE_MAX_CHARS,
  PASSWORD_MAX_CHARS,
  TENANT_MAX_CHARS,
  TRANSFER_TARGET_MAX_CHARS,
  USERNAME_MAX_CHARS,
  VOC_DESCRIPTION_MAX_CHARS,
  VOC_TOPIC_MAX_CHARS,
} from './field-limits';

const ID = '01937a2b-0000-7000-8000-000000000001';
const AT = '2026-11-25T01:00:00.000Z';
const note = { id: ID, customerId: ID, interactionId: null, text: '' };
const voc = { id: ID, customerId: ID, interactionId: null, type: 'complaint', topic: 'refund', description: 'asked twice' };
const login = { tenant: 'acme', username: 'agent1', password: 'secret' };
const mark = { id: ID, interactionId: ID, agent: null, agentName: null, queue: null, markedBy: 'Sup', why: 'x', markedAt: AT };

/** [where, limit, schema, the value with the field set to `text`] */
const fields: Array<[string, number, z.ZodType, (text: string) => unknown]> = [
  ['Note.text', NOTE_MAX_CHARS, Note, (text) => ({ ...note, text, author: 'agent1', revision: 1, createdAt: AT, updatedAt: AT })],
  ['note.save text', NOTE_MAX_CHARS, NoteSaveArgs, (text) => ({ ...note, text, revision: 1 })],
  ['saveNote text', NOTE_MAX_CHARS, desktopApiMethods.saveNote.args, (text) => [{ ...note, text }]],
  ['RejectedEdit note text', NOTE_MAX_CHARS, RejectedEdit, (text) => ({ kind: 'note', text })],
  ['VocItem.topic', VOC_TOPIC_MAX_CHARS, VocItem, (topic) => ({ ...voc, topic, status: 'raised', createdBy: 'agent1', createdAt: AT })],
  ['voc.create topic', VOC_TOPIC_MAX_CHARS, VocCreateArgs, (topic) => ({ ...voc, topic })],
  ['createVocItem topic', VOC_TOPIC_MAX_CHARS, desktopApiMethods.createVocItem.args, (topic) => [{ ...voc, topic }]],
  ['RejectedEdit voc topic', VOC_TOPIC_MAX_CHARS, RejectedEdit, (topic) => ({ kind: 'voc', type: 'praise', topic, description: '' })],
  ['VocItem.description', VOC_DESCRIPTION_MAX_CHARS, VocItem, (description) => ({ ...voc, description, status: 'raised', createdBy: 'agent1', createdAt: AT })],
  ['voc.create description', VOC_DESCRIPTION_MAX_CHARS, VocCreateArgs, (description) => ({ ...voc, description })],
  ['createVocItem description', VOC_DESCRIPTION_MAX_CHARS, desktopApiMethods.createVocItem.args, (description) => [{ ...voc, description }]],
  ['RejectedEdit voc description', VOC_DESCRIPTION_MAX_CHARS, RejectedEdit, (description) => ({ kind: 'voc', type: 'praise', topic: '', description })],
  ['GreatService.why', GREAT_SERVICE_WHY_MAX, GreatService, (why) => ({ ...mark, why })],
  ['greatService:mark why', GREAT_SERVICE_WHY_MAX, MarkGreatServiceRequest, (why) => ({ interactionId: ID, why })],
  ['markGreatService why', GREAT_SERVICE_WHY_MAX, desktopApiMethods.markGreatService.args, (why) => [{ interactionId: ID, why }]],
  ['call:control target', TRANSFER_TARGET_MAX_CHARS, CallControlRequest, (target) => ({ interactionId: ID, action: 'transfer', target })],
  ['callControl target', TRANSFER_TARGET_MAX_CHARS, desktopApiMethods.callControl.args, (target) => [{ interactionId: ID, action: 'transfer', target }]],
  ['searchCustomers query', CUSTOMER_SEARCH_MAX_CHARS, desktopApiMethods.searchCustomers.args, (query) => [{ query }]],
  ['login tenant', TENANT_MAX_CHARS, LoginRequest, (tenant) => ({ ...login, tenant })],
  ['signIn tenant', TENANT_MAX_CHARS, desktopApiMethods.signIn.args, (tenant) => [{ ...login, tenant }]],
  ['tenant setting', TENANT_MAX_CHARS, settingSchemas.tenant, (tenant) => tenant],
  ['login username', USERNAME_MAX_CHARS, LoginRequest, (username) => ({ ...login, username })],
  ['signIn username', USERNAME_MAX_CHARS, desktopApiMethods.signIn.args, (username) => [{ ...login, username }]],
  ['login password', PASSWORD_MAX_CHARS, LoginRequest, (password) => ({ ...login, password })],
  ['signIn password', PASSWORD_MAX_CHARS, desktopApiMethods.signIn.args, (password) => [{ ...login, password }]],
];

describe('field limits: one source for every schema', () => {
  it.each(fields)('%s takes %i characters and refuses one more', (_where, limit, schema, withText) => {
    expect(schema.safeParse(withText('a'.repeat(limit))).success).toBe(true);
    const over = schema.safeParse(withText('a'.repeat(limit + 1)));
    expect(over.success).toBe(false);
    expect(over.error?.issues.map((i) => i.code)).toEqual(['too_big']);
  });
});

/** The wire's schemas of what a person typed: the center refuses a control character, naming it. */
const refusing = fields.filter(([where]) => /^(note\.save|voc\.create|greatService:mark|call:control|login) /.test(where));
/** The DesktopApi's: the same text is cleaned and saved. */
const cleaning = fields.filter(([, , schema]) => Object.values(desktopApiMethods).some((m) => m.args === schema));

describe('the text policy at every door', () => {
  it('covers every wire and DesktopApi field above', () => {
    expect(refusing.length).toBe(8);
    expect(cleaning.length).toBe(9);
  });

  it.each(refusing)('%s refuses a NUL and half a character pair, saying which and where', (_where, _limit, schema, withText) => {
    for (const bad of ['ab\u0000c', 'ab\ud83dc']) {
      const r = schema.safeParse(withText(bad));
      expect(r.success).toBe(false);
      expect(r.error?.issues.map((i) => i.message)).toEqual([expect.stringMatching(/^holds an? (invisible control|broken) character .* at character 3/)]);
    }
  });

  it.each(cleaning)('%s cleans them away and takes the rest', (_where, _limit, schema, withText) => {
    const r = schema.safeParse(withText('ab\u0000c\u0085d\ud83d'));
    expect(r.success).toBe(true);
    expect(JSON.stringify(r.data)).toContain('abcd\ufffd');
  });
});
