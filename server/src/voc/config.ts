// A tenant's VOC configuration as the workflow reads it, in one statement: its business calendar
// (zone, working hours, holidays), routing rules, SLA targets, departments and settings.
import { type BusinessCalendar, type VocPriority, type VocType, type WorkingHours } from '../../../shared/domain';
import type { Queryable } from '../db/db';

export interface RoutingRule {
  position: number;
  type: VocType | null;
  topicPrefix: string | null;
  priority: VocPriority | null;
  /** null: recorded for analysis only. */
  departmentId: string | null;
}

export interface SlaTarget {
  acknowledge: number;
  resolve: number;
  notify: number;
}

export interface DepartmentConfig {
  id: string;
  name: string;
  leadUserId: string | null;
  requiresApproval: boolean;
  assignment: 'round_robin' | 'lead';
  active: boolean;
}

export interface TenantVocConfig {
  calendar: BusinessCalendar;
  rules: RoutingRule[];
  /** Targets by `${type}/${priority}`, in working minutes. */
  sla: Map<string, SlaTarget>;
  departments: Map<string, DepartmentConfig>;
  defaultDepartmentId: string | null;
  happyCallTypes: ReadonlySet<VocType>;
  /** Working minutes after the customer was told; null: the next working day's opening. */
  happyCallAfterMinutes: number | null;
  followUpMaxAttempts: number;
  followUpRetryMinutes: number;
  placeCallUrl: string | null;
}

export const slaKey = (type: VocType, priority: VocPriority) => `${type}/${priority}`;

interface ConfigRow {
  config: {
    zone: string;
    hours: WorkingHours[] | null;
    holidays: string[] | null;
    rules: Array<{ position: number; type: VocType | null; topic_prefix: string | null; priority: VocPriority | null; department_id: string | null }> | null;
    sla: Array<{ type: VocType; priority: VocPriority; acknowledge_minutes: number; resolve_minutes: number; notify_minutes: number }> | null;
    departments: Array<{ id: string; name: string; lead_user_id: string | null; requires_approval: boolean; assignment: 'round_robin' | 'lead'; active: boolean }> | null;
    settings: {
      default_department_id: string | null;
      happy_call_types: VocType[];
      happy_call_after_minutes: number | null;
      follow_up_max_attempts: number;
      follow_up_retry_minutes: number;
      place_call_url: string | null;
    } | null;
  } | string;
}

const DEFAULT_SETTINGS = {
  default_department_id: null,
  happy_call_types: ['complaint'] as VocType[],
  happy_call_after_minutes: null,
  follow_up_max_attempts: 3,
  follow_up_retry_minutes: 120,
  place_call_url: null,
};

/** The tenant's configuration; throws when the tenant does not exist. */
export async function readVocConfig(q: Queryable, tenantId: string): Promise<TenantVocConfig> {
  const [row] = await q.query<ConfigRow>(
    `SELECT json_build_object(
       'zone', t.time_zone,
       'hours', (SELECT json_agg(json_build_object('weekday', h.weekday, 'opens', h.opens, 'closes', h.closes) ORDER BY h.weekday)
                   FROM business_hours h WHERE h.tenant_id = t.id),
       'holidays', (SELECT json_agg(to_char(d.day, 'YYYY-MM-DD')) FROM holidays d WHERE d.tenant_id = t.id),
       'rules', (SELECT json_agg(json_build_object('position', r.position, 'type', r.type, 'topic_prefix', r.topic_prefix,
                                                   'priority', r.priority, 'department_id', r.department_id) ORDER BY r.position)
                   FROM voc_routing_rules r WHERE r.tenant_id = t.id),
       'sla', (SELECT json_agg(s) FROM (SELECT type, priority, acknowledge_minutes, resolve_minutes, notify_minutes
                                          FROM voc_sla_targets WHERE tenant_id = t.id) s),
       'departments', (SELECT json_agg(d) FROM (SELECT id, name, lead_user_id, requires_approval, assignment, active
                                                  FROM departments WHERE tenant_id = t.id) d),
       'settings', (SELECT row_to_json(s) FROM (SELECT default_department_id, happy_call_types, happy_call_after_minutes,
                                                       follow_up_max_attempts, follow_up_retry_minutes, place_call_url
                                                  FROM voc_settings WHERE tenant_id = t.id) s)
     ) AS config FROM tenants t WHERE t.id = $1`,
    [tenantId],
    { prepare: true },
  );
  if (!row) throw new Error(`Tenant ${tenantId} does not exist.`);
  const c = typeof row.config === 'string' ? (JSON.parse(row.config) as Exclude<ConfigRow['config'], string>) : row.config;
  const settings = c.settings ?? DEFAULT_SETTINGS;
  return {
    calendar: { timeZone: c.zone, hours: c.hours ?? [], holidays: new Set(c.holidays ?? []) },
    rules: (c.rules ?? []).map((r) => ({ position: r.position, type: r.type, topicPrefix: r.topic_prefix, priority: r.priority, departmentId: r.department_id })),
    sla: new Map((c.sla ?? []).map((s) => [slaKey(s.type, s.priority), { acknowledge: s.acknowledge_minutes, resolve: s.resolve_minutes, notify: s.notify_minutes }])),
    departments: new Map(
      (c.departments ?? []).map((d) => [
        d.id,
        { id: d.id, name: d.name, leadUserId: d.lead_user_id, requiresApproval: d.requires_approval, assignment: d.assignment, active: d.active },
      ]),
    ),
    defaultDepartmentId: settings.default_department_id,
    happyCallTypes: new Set(settings.happy_call_types),
    happyCallAfterMinutes: settings.happy_call_after_minutes,
    followUpMaxAttempts: settings.follow_up_max_attempts,
    followUpRetryMinutes: settings.follow_up_retry_minutes,
    placeCallUrl: settings.place_call_url,
  };
}

/** The department an item goes to: the first rule that matches (NULL matches anything), else the default. */
export function routeOf(
  cfg: Pick<TenantVocConfig, 'rules' | 'defaultDepartmentId' | 'departments'>,
  item: { type: VocType; topicId: string | null; priority: VocPriority },
): { departmentId: string | null; rule: number | null } | null {
  for (const r of cfg.rules) {
    if (r.type !== null && r.type !== item.type) continue;
    if (r.priority !== null && r.priority !== item.priority) continue;
    if (r.topicPrefix !== null && !(item.topicId !== null && (item.topicId === r.topicPrefix || item.topicId.startsWith(`${r.topicPrefix}/`)))) continue;
    if (r.departmentId !== null && cfg.departments.get(r.departmentId)?.active === false) continue;
    return { departmentId: r.departmentId, rule: r.position };
  }
  if (cfg.defaultDepartmentId !== null) return { departmentId: cfg.defaultDepartmentId, rule: null };
  return null;
}
