// The demo tenant's VOC setup for tests that cannot wait for Monday morning: every day a working day
// (Seoul time), no holidays, and a complaint's happy call due as soon as the customer is told — set
// through the center's admin API as an administrator would.
import { LoginResponse } from '../../shared/protocol/index';

export async function workEveryDay(centerUrl: string): Promise<void> {
  const res = await fetch(`${centerUrl}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ tenant: 'demo', username: 'admin', password: 'demo' }) });
  if (!res.ok) throw new Error(`admin sign-in: ${res.status} ${await res.text()}`);
  const { token } = LoginResponse.parse(await res.json());
  const hours = [0, 1, 2, 3, 4, 5, 6].map((weekday) => ({ weekday, opens: '00:00', closes: '23:59' }));
  for (const [route, body] of [
    ['/hours', { hours }],
    ['/holidays', { holidays: [], replace: true }],
    ['/settings', { happyCallAfterMinutes: 0 }],
  ] as const) {
    const put = await fetch(`${centerUrl}/api/admin/voc${route}`, { method: 'PUT', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    if (!put.ok) throw new Error(`PUT /api/admin/voc${route}: ${put.status} ${await put.text()}`);
  }
}
