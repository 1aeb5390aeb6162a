// The VOC setup refuses what it cannot take — an SLA table with gaps, a holiday file with a date that
// does not exist, a rule naming an unknown department or topic, a member who is not a user — saying
// what is wrong and changing nothing; what it takes reaches desktops as reference data. Through the
// admin API of a real center and the command line on a PGlite directory.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main, type CliIo } from '../cli';
import { login, startTestCenter, type TestCenter } from '../testing/center-client';
import { DEMO_SLA } from '../demo/voc-setup';

describe('VOC setup', () => {
  let t: TestCenter;
  let token: string;
  const api = async (method: string, route: string, body?: unknown, contentType = 'application/json') => {
    const res = await fetch(`${t.center.url}/api/admin/voc${route}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': contentType },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as { error?: { message: string } } & Record<string, unknown> };
  };
  const setup = async () => (await api('GET', '')).body as { sla: unknown[]; holidays: string[]; routing: { rules: unknown[] }; topics: Array<{ id: string }> };

  beforeAll(async () => {
    t = await startTestCenter({});
    token = (await login(t.center.url, 'demo', 'admin')).token;
  });
  afterAll(() => t?.stop());

  it('refuses an SLA table with gaps, naming them, and keeps the old one', async () => {
    const before = await setup();
    const r = await api('PUT', '/sla', { targets: DEMO_SLA.filter((x) => !(x.type === 'praise' && x.priority === 'urgent')) });
    expect(r.status).toBe(400);
    expect(r.body.error!.message).toMatch(/gaps: no targets for praise\/urgent/);
    expect((await setup()).sla).toEqual(before.sla);
    const disorder = await api('PUT', '/sla', { targets: DEMO_SLA.map((x) => (x.type === 'inquiry' && x.priority === 'normal' ? { ...x, acknowledge: x.resolve + 1 } : x)) });
    expect(disorder.body.error!.message).toMatch(/inquiry\/normal: acknowledge .* ≤ resolve/);
  });

  it('refuses a holiday file with a date that does not exist, with its line, and adds nothing', async () => {
    const before = await setup();
    const r = await api('POST', '/holidays.csv', 'date,name\n2027-03-01,Independence Movement Day\n2027-02-30,Not a day\n', 'text/csv');
    expect(r.status).toBe(400);
    expect(r.body.error!.message).toMatch(/line 3: "2027-02-30" is not a date/);
    expect((await setup()).holidays).toEqual(before.holidays);
    expect((await api('POST', '/holidays.csv?replace=false', 'date,name\n2027-12-31,Year end\n', 'text/csv')).body).toEqual({ holidays: 1 });
    expect((await setup()).holidays).toContain('2027-12-31');
  });

  it('refuses rules naming an unknown department or topic, and members who are not users', async () => {
    const before = await setup();
    expect((await api('PUT', '/routing', { rules: [{ type: 'complaint', department: 'nowhere' }], default: 'cs' })).body.error!.message).toMatch(/no active department "nowhere"/);
    expect((await api('PUT', '/routing', { rules: [{ topicPrefix: 'nothing', department: 'cs' }], default: 'cs' })).body.error!.message).toMatch(/topic "nothing" is not in the catalogue/);
    expect((await setup()).routing).toEqual(before.routing);
    const ghost = await api('PUT', '/departments/legal', { name: 'Legal', members: ['staff1', 'ghost'], lead: 'staff1' });
    expect(ghost.body.error!.message).toMatch(/no user "ghost"/);
    expect((await api('PUT', '/topics', { topics: [{ id: 'legal/contract', name: 'Contract' }] })).body.error!.message).toMatch(/category "legal" is not in the catalogue/);
  });

  it('takes a new department and topics, and every desktop pulls them as reference data', async () => {
    expect((await api('PUT', '/topics', { topics: [{ id: 'legal', name: 'Legal' }, { id: 'legal/contract', name: 'Contract terms' }] })).status).toBe(200);
    const dept = await api('PUT', '/departments/legal', { name: 'Legal', members: ['staff1', 'staff2'], lead: 'staff1', requiresApproval: true });
    expect(dept.status).toBe(200);
    const logged = await t.center.db.query<{ entity: string; entity_id: string; user_id: string | null; customer_id: string | null }>(
      "SELECT entity, entity_id, user_id, customer_id FROM change_log WHERE tenant_id = 'demo' AND entity IN ('voc_topic', 'department') AND entity_id IN ('legal', 'legal/contract')",
    );
    expect(logged.map((l) => `${l.entity}:${l.entity_id}`).sort()).toEqual(['department:legal', 'voc_topic:legal', 'voc_topic:legal/contract']);
    expect(logged.every((l) => l.user_id === null && l.customer_id === null)).toBe(true); // the whole tenant sees them
    // Only administrators.
    const staff = (await login(t.center.url, 'demo', 'staff1')).token;
    const res = await fetch(`${t.center.url}/api/admin/voc`, { headers: { authorization: `Bearer ${staff}` } });
    expect(res.status).toBe(403);
  });
});

describe('VOC setup on the command line', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'earshot-voc-cli-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const run = async (...args: string[]) => {
    let out = '';
    let err = '';
    const io: CliIo = { stdin: Readable.from([]), stdout: { write: (s: string) => (out += s) }, stderr: { write: (s: string) => (err += s) } };
    const code = await main([...args, '--data-dir', dir], io);
    return { code, out, err };
  };

  beforeAll(async () => {
    const c = await startTestCenter({ dataDir: dir });
    await c.stop();
  });

  it('imports SLA targets and holidays from CSV, refusing bad rows with their lines', async () => {
    const good = path.join(dir, 'sla.csv');
    writeFileSync(good, ['type,priority,acknowledge,resolve,notify', ...DEMO_SLA.map((x) => `${x.type},${x.priority},${x.acknowledge},${x.resolve},${x.notify}`)].join('\n'));
    expect(await run('voc', 'sla', 'import', good, '--tenant', 'demo')).toMatchObject({ code: 0, out: '15 SLA target(s) set for demo.\n' });
    const bad = path.join(dir, 'sla-bad.csv');
    writeFileSync(bad, 'complaint,high,120,540\ncomplaint,normal,x,1,2\n');
    const r = await run('voc', 'sla', 'import', bad, '--tenant', 'demo');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/2 bad row\(s\); nothing was changed:\nline 1: .*\nline 2: /);
    const holidays = path.join(dir, 'holidays.csv');
    writeFileSync(holidays, '2028-01-01,New Year\n2028-13-01,Nope\n');
    expect((await run('voc', 'holidays', 'import', holidays, '--tenant', 'demo')).err).toMatch(/line 2: "2028-13-01" is not a date/);
    const hours = await run('voc', 'hours', 'set', '--tenant', 'demo', '--days', '1-5', '--opens', '08:30', '--closes', '17:30');
    expect(hours.code).toBe(0);
    const shown = JSON.parse((await run('voc', 'show', '--tenant', 'demo')).out) as { hours: Array<{ opens: string }>; holidays: string[] };
    expect(shown.hours.map((h) => h.opens)).toEqual(['08:30', '08:30', '08:30', '08:30', '08:30']);
    expect(shown.holidays).not.toContain('2028-01-01');
  });

  it('keeps topic and department names in other languages (CSV name.<lang> columns, --lang/--label), merged with those set before', async () => {
    const topics = path.join(dir, 'topics.csv');
    writeFileSync(topics, 'id,name,name.ko,active\nlegal,Legal,법무,\nlegal/contract,Contract terms,계약 조건,yes\nlegal/privacy,Privacy,,no\n');
    expect(await run('voc', 'topics', 'import', topics, '--tenant', 'demo')).toMatchObject({ code: 0, out: '3 topic(s) set in the catalogue of demo.\n' });
    writeFileSync(topics, 'id,name,name.ja\nlegal,Legal,法務\n');
    expect((await run('voc', 'topics', 'import', topics, '--tenant', 'demo')).code).toBe(0);
    const department = ['voc', 'department', 'set', '--tenant', 'demo', '--id', 'legal', '--name', 'Legal', '--members', 'staff1'];
    expect((await run(...department, '--lang', 'ko')).code).toBe(64); // a language without its name
    expect((await run(...department, '--lang', 'ko', '--label', '법무팀')).code).toBe(0);
    expect((await run(...department)).code).toBe(0); // set again without: the Korean name stays

    const shown = JSON.parse((await run('voc', 'show', '--tenant', 'demo')).out) as {
      topics: Array<{ id: string; labels?: Record<string, string>; active: boolean }>;
      departments: Array<{ id: string; labels?: Record<string, string> }>;
    };
    const topic = (id: string) => shown.topics.find((x) => x.id === id);
    expect(topic('legal')?.labels).toEqual({ ko: '법무', ja: '法務' });
    expect(topic('legal/contract')).toMatchObject({ labels: { ko: '계약 조건' }, active: true });
    expect(topic('legal/privacy')).toMatchObject({ labels: {}, active: false });
    expect(shown.departments.find((d) => d.id === 'legal')?.labels).toEqual({ ko: '법무팀' });
  });
});
