// VOC items: added from the keyboard without leaving the notes, created through createVocItem,
// listed under the notes; a failed add keeps what was typed.
import { act, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { VOC_DESCRIPTION_MAX_CHARS, VOC_TOPIC_MAX_CHARS } from '../../../shared/domain/index';
import { FakeDesktopApi } from '../../test-support/fake-desktop-api';
import { CUSTOMER_ID, INTERACTION_ID, makeCall, makePop } from '../../test-support/fixtures';
import { renderApp, stopRenderedApps } from '../../test-support/render-app';

afterEach(stopRenderedApps);

const topicOptions = () => within(screen.getByRole('listbox', { hidden: true })).queryAllByRole('option');

/** A desktop that has synced the catalogue: a category, its topics (one retired), and one in Korean. */
function withCatalogue(): FakeDesktopApi {
  const api = new FakeDesktopApi();
  api.vocReference = {
    queues: [],
    departments: [],
    topics: [
      { id: 'billing', parentId: null, name: 'Billing', active: true },
      { id: 'billing/double-charge', parentId: 'billing', name: 'Charged twice', active: true },
      { id: 'billing/old', parentId: 'billing', name: 'Charged twice (old form)', active: false },
      { id: 'delivery', parentId: null, name: 'Delivery', active: true },
      { id: 'ko', parentId: null, name: '요금', active: true },
      { id: 'ko/double', parentId: 'ko', name: '이중 청구', active: true },
    ],
  };
  return api;
}

async function onCall(api: FakeDesktopApi) {
  await screen.findByTestId('waiting-for-call');
  act(() => api.emit('callOffered', { call: makeCall(), pop: makePop() }));
  return screen.findByTestId('note-editor');
}

describe('VOC items', () => {
  it('opens with Alt+V from the notes, adds with Ctrl+Enter and lists the item', async () => {
    const { api, user } = renderApp();
    const editor = await onCall(api);
    await user.click(editor);
    await user.keyboard('{Alt>}v{/Alt}');

    const type = await screen.findByTestId('voc-type');
    expect(document.activeElement).toBe(type);
    await user.selectOptions(type, 'want_slip');
    await user.type(screen.getByTestId('voc-topic'), 'Delivery');
    await user.type(screen.getByTestId('voc-description'), 'Sighed about waiting in the queue');
    await user.keyboard('{Control>}{Enter}{/Control}');

    const item = await screen.findByTestId('voc-item');
    expect(item.textContent).toMatch(/Want-slip.*Delivery.*Sighed about waiting in the queue.*Raised/);
    const [args] = api.callsOf('createVocItem')[0]!;
    expect(args).toMatchObject({
      customerId: CUSTOMER_ID,
      interactionId: INTERACTION_ID,
      type: 'want_slip',
      topic: 'Delivery',
      description: 'Sighed about waiting in the queue',
    });
    // The form closes and focus goes back to the notes.
    await waitFor(() => expect(screen.queryByTestId('voc-form')).toBeNull());
    expect(document.activeElement).toBe(screen.getByTestId('note-editor'));
  });

  it("shows the center's number and step on an item as soon as a sync brings them, so the agent can read the number out", async () => {
    const { api, user } = renderApp();
    const editor = await onCall(api);
    await user.click(editor);
    await user.keyboard('{Alt>}v{/Alt}');
    await user.type(await screen.findByTestId('voc-topic'), 'Late parcel');
    await user.keyboard('{Control>}{Enter}{/Control}');
    const item = await screen.findByTestId('voc-item');
    expect(item.textContent).not.toMatch(/VOC-2026/);
    // The center numbered and routed it; the pull brought it to this desktop, which says so.
    const [created] = [...api.vocItems.values()];
    api.vocItems.set(created!.id, { ...created!, number: 'VOC-2026-000123', status: 'routed', departmentId: 'logistics' });
    act(() => api.emit('vocChanged', { id: created!.id, number: 'VOC-2026-000123', status: 'routed', departmentId: 'logistics', ownerUserId: null }));
    await waitFor(() => expect(screen.getByTestId('voc-item').textContent).toMatch(/VOC-2026-000123 · Routed to a department/));
    expect(api.callsOf('getVocItems')).toEqual([[{ ids: [created!.id] }]]);
    // An item not on this call is not read.
    act(() => api.emit('vocChanged', { id: '00000000-0000-4000-8000-00000000abcd', number: null, status: 'routed', departmentId: null, ownerUserId: null }));
    expect(api.callsOf('getVocItems')).toHaveLength(1);
  });

  it('records several items on one contact', async () => {
    const { api, user } = renderApp();
    await onCall(api);
    for (const [type, topic] of [
      ['inquiry', 'Opening hours'],
      ['praise', 'Helpful store staff'],
    ] as const) {
      await user.click(screen.getByTestId('voc-add'));
      await user.selectOptions(screen.getByTestId('voc-type'), type);
      await user.type(screen.getByTestId('voc-topic'), topic);
      await user.click(screen.getByTestId('voc-submit'));
      await waitFor(() => expect(screen.queryByTestId('voc-form')).toBeNull());
    }
    const items = screen.getAllByTestId('voc-item');
    expect(items.map((i) => i.textContent)).toEqual([
      expect.stringMatching(/Inquiry.*Opening hours/),
      expect.stringMatching(/Praise.*Helpful store staff/),
    ]);
    const ids = api.callsOf('createVocItem').map(([a]) => a.id);
    expect(new Set(ids).size).toBe(2);
  });

  it('picks the topic from the catalogue by keyboard alone, with priority, safety and what the customer wants', async () => {
    const api = withCatalogue();
    const { user } = renderApp({ api });
    const editor = await onCall(api);
    await user.click(editor);
    await user.keyboard('{Alt>}v{/Alt}');
    await user.selectOptions(screen.getByTestId('voc-type'), 'complaint');
    // A complaint is not answered on the contact by default, and says what the customer wants.
    expect((screen.getByTestId('voc-resolved') as HTMLInputElement).checked).toBe(false);
    const topic = screen.getByTestId('voc-topic');
    await user.click(topic);
    await user.keyboard('twice');
    expect(topic.getAttribute('aria-expanded')).toBe('true');
    const options = topicOptions();
    expect(options.map((o) => o.textContent)).toEqual(['Charged twice · Billing']);
    await user.keyboard('{ArrowDown}');
    expect(topic.getAttribute('aria-activedescendant')).toBe(options[0]!.id);
    await user.keyboard('{Enter}');
    expect((topic as HTMLInputElement).value).toBe('Charged twice');
    expect(topic.getAttribute('aria-expanded')).toBe('false');
    expect(screen.getByTestId('voc-topic-classification').textContent).toBe('From the catalogue (Billing)');
    // Enter picked the topic; it did not add the item.
    expect(screen.getByTestId('voc-form')).toBeTruthy();
    await user.selectOptions(screen.getByTestId('voc-priority'), 'urgent');
    await user.selectOptions(screen.getByTestId('voc-wants'), 'refund');
    await user.click(screen.getByTestId('voc-safety'));
    await user.type(screen.getByTestId('voc-description'), 'Card charged twice for one order');
    await user.keyboard('{Control>}{Enter}{/Control}');
    await screen.findByTestId('voc-item');
    expect(api.callsOf('createVocItem')[0]![0]).toMatchObject({
      type: 'complaint',
      topic: 'Charged twice',
      topicId: 'billing/double-charge',
      priority: 'urgent',
      safety: true,
      wants: 'refund',
      resolvedOnContact: false,
    });
    expect(screen.getByTestId('voc-item').textContent).toMatch(/Urgent.*Safety\/legal/);
  });

  it('keeps free text as the topic, marked unclassified; an inquiry is answered on the contact by default', async () => {
    const api = withCatalogue();
    const { user } = renderApp({ api });
    await onCall(api);
    await user.click(screen.getByTestId('voc-add'));
    expect((screen.getByTestId('voc-resolved') as HTMLInputElement).checked).toBe(true);
    expect(screen.queryByTestId('voc-wants')).toBeNull();
    // The list closes on Escape; the form stays open until a second Escape.
    await user.type(screen.getByTestId('voc-topic'), 'Bill');
    expect(topicOptions().length).toBeGreaterThan(0);
    await user.keyboard('{Escape}');
    expect(topicOptions()).toHaveLength(0);
    expect(screen.getByTestId('voc-form')).toBeTruthy();
    await user.type(screen.getByTestId('voc-topic'), 'ing cycle question');
    expect(screen.getByTestId('voc-topic-classification').textContent).toMatch(/unclassified, a supervisor will map it/);
    await user.click(screen.getByTestId('voc-submit'));
    await screen.findByTestId('voc-item');
    expect(api.callsOf('createVocItem')[0]![0]).toMatchObject({ type: 'inquiry', topic: 'Billing cycle question', topicId: null, priority: 'normal', safety: false, wants: null, resolvedOnContact: true });
  });

  it('reads in Korean', async () => {
    const api = withCatalogue();
    const { user } = renderApp({ api, locale: 'ko' });
    await onCall(api);
    await user.click(screen.getByTestId('voc-add'));
    await user.selectOptions(screen.getByTestId('voc-type'), 'complaint');
    expect(screen.getByLabelText('우선순위')).toBe(screen.getByTestId('voc-priority'));
    expect(screen.getByLabelText('고객 요구')).toBe(screen.getByTestId('voc-wants'));
    expect(screen.getByLabelText('안전·법규 관련')).toBe(screen.getByTestId('voc-safety'));
    await user.type(screen.getByTestId('voc-topic'), '이중');
    expect(topicOptions().map((o) => o.textContent)).toEqual(['이중 청구 · 요금']);
    await user.keyboard('{ArrowDown}{Enter}');
    expect(screen.getByTestId('voc-topic-classification').textContent).toBe('분류 체계에서 선택함 (요금)');
  });

  it('takes no more in a field than the contract accepts (the limits of shared/domain)', async () => {
    const { api, user } = renderApp();
    await onCall(api);
    await user.click(screen.getByTestId('voc-add'));
    expect((screen.getByTestId('voc-topic') as HTMLInputElement).maxLength).toBe(VOC_TOPIC_MAX_CHARS);
    expect((screen.getByTestId('voc-description') as HTMLTextAreaElement).maxLength).toBe(VOC_DESCRIPTION_MAX_CHARS);
  });

  it('keeps the text when an add fails and retries with the same id', async () => {
    const api = new FakeDesktopApi();
    api.failNext('createVocItem', { code: 'internal', message: 'the local database is busy' });
    const { user } = renderApp({ api });
    await onCall(api);
    await user.click(screen.getByTestId('voc-add'));
    await user.type(screen.getByTestId('voc-topic'), 'Refund');
    await user.click(screen.getByTestId('voc-submit'));

    const form = screen.getByTestId('voc-form');
    expect((await within(form).findByRole('alert')).textContent).toMatch(/Not added: the local database is busy/);
    expect((screen.getByTestId('voc-topic') as HTMLInputElement).value).toBe('Refund');

    await user.click(screen.getByTestId('voc-submit'));
    expect((await screen.findByTestId('voc-item')).textContent).toMatch(/Refund/);
    const ids = api.callsOf('createVocItem').map(([a]) => a.id);
    expect(ids).toHaveLength(2);
    expect(ids[0]).toBe(ids[1]);
  });
});
