// VOC items: added from the keyboard without leaving the notes, created through createVocItem,
// listed under the notes; a failed add keeps what was typed.
import { act, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { VOC_DESCRIPTION_MAX_CHARS, VOC_TOPIC_MAX_CHARS } from '../../../shared/domain/index';
import { FakeDesktopApi } from '../../test-support/fake-desktop-api';
import { CUSTOMER_ID, INTERACTION_ID, makeCall, makePop } from '../../test-support/fixtures';
import { renderApp, stopRenderedApps } from '../../test-support/render-app';

afterEach(stopRenderedApps);

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
