// The demo tenant's VOC loop: a two-level topic catalogue, five departments with their staff (staff1 …
// staff10, two per department, the first of each pair its lead), routing rules, SLA targets for every
// type and priority, Seoul working hours and Korean public holidays, and happy calls after complaints.
import type { VocPriority, VocType, WorkingHours } from '../../../shared/domain';

export const DEMO_STAFF_COUNT = 10;

export const DEMO_CATALOGUE: ReadonlyArray<{ id: string; name: string; ko: string; topics: ReadonlyArray<{ id: string; name: string; ko: string }> }> = [
  {
    id: 'billing',
    name: 'Billing',
    ko: '청구·요금',
    topics: [
      { id: 'billing/double-charge', name: 'Double charge', ko: '이중 청구' },
      { id: 'billing/refund', name: 'Refund', ko: '환불' },
      { id: 'billing/plan-change', name: 'Plan change', ko: '요금제 변경' },
      { id: 'billing/pricing', name: 'Pricing', ko: '가격' },
    ],
  },
  {
    id: 'delivery',
    name: 'Delivery',
    ko: '배송',
    topics: [
      { id: 'delivery/late', name: 'Late delivery', ko: '배송 지연' },
      { id: 'delivery/damaged', name: 'Damaged in transit', ko: '배송 중 파손' },
      { id: 'delivery/address', name: 'Address change', ko: '주소 변경' },
    ],
  },
  {
    id: 'product',
    name: 'Product',
    ko: '제품',
    topics: [
      { id: 'product/quality', name: 'Quality', ko: '품질' },
      { id: 'product/defect', name: 'Defect', ko: '불량' },
      { id: 'product/how-to', name: 'How to use', ko: '사용 방법' },
    ],
  },
  {
    id: 'service',
    name: 'Service',
    ko: '서비스',
    topics: [
      { id: 'service/store', name: 'Store service', ko: '매장 서비스' },
      { id: 'service/staff', name: 'Staff attitude', ko: '직원 응대' },
      { id: 'service/contact-center', name: 'Contact center', ko: '고객센터' },
    ],
  },
  {
    id: 'digital',
    name: 'App and website',
    ko: '앱·웹사이트',
    topics: [
      { id: 'digital/sign-in', name: 'App sign-in', ko: '앱 로그인' },
      { id: 'digital/website', name: 'Website', ko: '웹사이트' },
      { id: 'digital/receipts', name: 'Receipts in the app', ko: '앱 영수증' },
    ],
  },
];

/** Every topic id of the catalogue (leaves), for the generator. */
export const DEMO_TOPICS = DEMO_CATALOGUE.flatMap((c) => c.topics.map((t) => ({ ...t, label: `${c.name} › ${t.name}` })));

/** Departments with their staff (the first username leads), named in English and Korean. */
export const DEMO_DEPARTMENTS: ReadonlyArray<{ id: string; name: string; ko: string; staff: readonly string[]; requiresApproval: boolean }> = [
  { id: 'cs', name: 'Customer service', ko: '고객지원', staff: ['staff1', 'staff2'], requiresApproval: false },
  { id: 'billing', name: 'Billing and finance', ko: '청구·재무', staff: ['staff3', 'staff4'], requiresApproval: true },
  { id: 'logistics', name: 'Logistics', ko: '물류', staff: ['staff5', 'staff6'], requiresApproval: false },
  { id: 'product', name: 'Product and quality', ko: '제품·품질', staff: ['staff7', 'staff8'], requiresApproval: false },
  { id: 'marketing', name: 'Marketing and sales', ko: '마케팅·영업', staff: ['staff9', 'staff10'], requiresApproval: false },
];

/** First match wins; a null department: recorded for analysis only. */
export const DEMO_ROUTING: ReadonlyArray<{ type: VocType | null; topicPrefix: string | null; priority: VocPriority | null; departmentId: string | null }> = [
  { type: 'praise', topicPrefix: null, priority: null, departmentId: null },
  { type: 'want_slip', topicPrefix: null, priority: null, departmentId: null },
  { type: null, topicPrefix: 'billing', priority: null, departmentId: 'billing' },
  { type: null, topicPrefix: 'delivery', priority: null, departmentId: 'logistics' },
  { type: null, topicPrefix: 'product', priority: null, departmentId: 'product' },
  { type: 'suggestion', topicPrefix: null, priority: null, departmentId: 'marketing' },
  { type: null, topicPrefix: 'digital', priority: null, departmentId: 'product' },
];
export const DEMO_DEFAULT_DEPARTMENT = 'cs';

/** Working minutes (9 h a day) to acknowledge, resolve and tell the customer, by priority. */
const TARGETS: Record<VocPriority, [number, number, number]> = {
  normal: [4 * 60, 3 * 9 * 60, 4 * 9 * 60],
  high: [2 * 60, 9 * 60, 2 * 9 * 60],
  urgent: [30, 4 * 60, 6 * 60],
};
export const DEMO_SLA = (['inquiry', 'complaint', 'praise', 'suggestion', 'want_slip'] as const).flatMap((type) =>
  (['normal', 'high', 'urgent'] as const).map((priority) => {
    const [acknowledge, resolve, notify] = TARGETS[priority];
    // Suggestions are answered less urgently: twice the time.
    const k = type === 'suggestion' ? 2 : 1;
    return { type, priority, acknowledge: acknowledge * k, resolve: resolve * k, notify: notify * k };
  }),
);

export const DEMO_HOURS: readonly WorkingHours[] = [1, 2, 3, 4, 5].map((weekday) => ({ weekday, opens: '09:00', closes: '18:00' }));

/** Korean public holidays (substitute days included), 2025–2027. */
export const KOREAN_HOLIDAYS: ReadonlyArray<readonly [string, string]> = [
  ['2025-01-01', 'New Year'], ['2025-01-28', 'Seollal'], ['2025-01-29', 'Seollal'], ['2025-01-30', 'Seollal'],
  ['2025-03-01', 'Independence Movement Day'], ['2025-03-03', 'Substitute holiday'], ['2025-05-05', "Children's Day, Buddha's Birthday"],
  ['2025-05-06', 'Substitute holiday'], ['2025-06-03', 'Presidential election'], ['2025-06-06', 'Memorial Day'], ['2025-08-15', 'Liberation Day'],
  ['2025-10-03', 'National Foundation Day'], ['2025-10-05', 'Chuseok'], ['2025-10-06', 'Chuseok'], ['2025-10-07', 'Chuseok'],
  ['2025-10-08', 'Substitute holiday'], ['2025-10-09', 'Hangeul Day'], ['2025-12-25', 'Christmas'],
  ['2026-01-01', 'New Year'], ['2026-02-16', 'Seollal'], ['2026-02-17', 'Seollal'], ['2026-02-18', 'Seollal'],
  ['2026-03-01', 'Independence Movement Day'], ['2026-03-02', 'Substitute holiday'], ['2026-05-05', "Children's Day"],
  ['2026-05-24', "Buddha's Birthday"], ['2026-05-25', 'Substitute holiday'], ['2026-06-03', 'Local elections'], ['2026-06-06', 'Memorial Day'],
  ['2026-08-15', 'Liberation Day'], ['2026-08-17', 'Substitute holiday'], ['2026-09-24', 'Chuseok'], ['2026-09-25', 'Chuseok'],
  ['2026-09-26', 'Chuseok'], ['2026-10-03', 'National Foundation Day'], ['2026-10-05', 'Substitute holiday'], ['2026-10-09', 'Hangeul Day'],
  ['2026-12-25', 'Christmas'],
  ['2027-01-01', 'New Year'], ['2027-02-06', 'Seollal'], ['2027-02-07', 'Seollal'], ['2027-02-08', 'Seollal'], ['2027-02-09', 'Substitute holiday'],
  ['2027-03-01', 'Independence Movement Day'], ['2027-05-05', "Children's Day"], ['2027-05-13', "Buddha's Birthday"], ['2027-06-06', 'Memorial Day'],
  ['2027-08-15', 'Liberation Day'], ['2027-08-16', 'Substitute holiday'], ['2027-09-14', 'Chuseok'], ['2027-09-15', 'Chuseok'],
  ['2027-09-16', 'Chuseok'], ['2027-10-03', 'National Foundation Day'], ['2027-10-04', 'Substitute holiday'], ['2027-10-09', 'Hangeul Day'],
  ['2027-10-11', 'Substitute holiday'], ['2027-12-25', 'Christmas'],
];
