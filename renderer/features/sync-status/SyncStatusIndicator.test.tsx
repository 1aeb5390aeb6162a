// The sync indicator: the state word and pending count follow the desktop's syncStatus events, and
// the detail lists what the center refused with its reason.
import { act, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { NOTE_MAX_CHARS, VOC_DESCRIPTION_MAX_CHARS, VOC_TOPIC_MAX_CHARS } from '../../../shared/domain/index';
import { renderApp, stopRenderedApps } from '../../test-support/render-app';

afterEach(stopRenderedApps);

describe('sync status', () => {
  it('shows the state word and the number of changes waiting', async () => {
    const { api } = renderApp();
    expect((await screen.findByTestId('sync-status')).textContent).toContain('Online');
    expect(screen.getByTestId('sync-pending').textContent).toBe('0');

    act(() => api.emit('syncStatus', { state: 'offline', pending: 3, lastSyncAt: null, lastError: 'center unreachable', rejected: [] }));
    expect(screen.getByTestId('sync-status').textContent).toContain('Offline');
    expect(screen.getByTestId('sync-pending').textContent).toBe('3');

    act(() => api.emit('syncStatus', { state: 'update_required', pending: 3, lastSyncAt: null, lastError: null, rejected: [] }));
    expect(screen.getByTestId('sync-status').textContent).toContain('Update required');
  });

  it('says the center refused changes, and that it is retrying, never offline, while it answers', async () => {
    const { api, user } = renderApp();
    await screen.findByTestId('sync-status');
    const two = [
      { mutationId: '01937a2b-0000-7000-8000-000000000001', seq: 1, name: 'note.save', reason: 'holds a control character', rejectedAt: '2026-11-25T01:01:00.000Z' },
      { mutationId: '01937a2b-0000-7000-8000-000000000002', seq: 2, name: 'voc.create', reason: 'customer does not exist', rejectedAt: '2026-11-25T01:01:00.000Z' },
    ];
    act(() => api.emit('syncStatus', { state: 'online', pending: 0, lastSyncAt: null, lastError: null, rejected: two }));
    expect(screen.getByTestId('sync-status').textContent).toMatch(/Online.*center refused 2/);
    await user.click(screen.getByTestId('sync-status'));
    expect(screen.getByTestId('sync-detail').textContent).toContain('The center refused 2 of your changes and set them aside');

    act(() => api.emit('syncStatus', { state: 'retrying', pending: 4, lastSyncAt: null, lastError: 'Sync did not finish: the center failed', rejected: [] }));
    expect(screen.getByTestId('sync-status').textContent).toContain('Center problem, retrying');
    expect(screen.getByTestId('sync-status').textContent).not.toMatch(/offline/i);
    expect(screen.queryByTestId('sync-refused')).toBeNull();
    expect(screen.getByTestId('sync-detail').textContent).toContain('kept on this computer and sent again shortly');
  });

  it("lists rejected mutations with the center's reason", async () => {
    const { api, user } = renderApp();
    await screen.findByTestId('sync-status');
    act(() =>
      api.emit('syncStatus', {
        state: 'syncing',
        pending: 1,
        lastSyncAt: '2026-11-25T01:00:00.000Z',
        lastError: null,
        rejected: [
          {
            mutationId: '01937a2b-0000-7000-8000-000000000001',
            seq: 7,
            name: 'voc.create',
            reason: 'customer does not exist',
            rejectedAt: '2026-11-25T01:01:00.000Z',
          },
        ],
      }),
    );
    expect(screen.getByTestId('sync-status').textContent).toContain('Syncing');
    await user.click(screen.getByTestId('sync-status'));
    const rejected = await screen.findAllByTestId('sync-rejected');
    expect(rejected).toHaveLength(1);
    expect(rejected[0]?.textContent).toMatch(/VOC item at .*: customer does not exist/);
  });
});

const NOTE_M = '01937a2b-0000-7000-8000-000000000011';
const VOC_M = '01937a2b-0000-7000-8000-000000000012';
const DISP_M = '01937a2b-0000-7000-8000-000000000013';
const refused = (mutationId: string, name: string, reason: string) => ({ mutationId, seq: 1, name, reason, rejectedAt: '2026-11-25T01:01:00.000Z' });

/** A desktop holding three refused changes: a note, a VOC item and a disposition. */
function withRefusals() {
  const app = renderApp();
  const { api } = app;
  api.syncStatus = {
    state: 'online',
    pending: 0,
    lastSyncAt: null,
    lastError: null,
    rejected: [
      refused(NOTE_M, 'note.save', 'The interaction does not exist at the center.'),
      refused(VOC_M, 'voc.create', 'A VOC item with this id already exists; create it again to get a new id.'),
      refused(DISP_M, 'disposition.set', '"x" is not a disposition code of queue billing; pick one from its list.'),
    ],
  };
  const detail = (mutationId: string, name: string, editable: Parameters<typeof api.rejectedDetails.set>[1]['editable']) => ({
    mutationId,
    name,
    reason: api.syncStatus.rejected.find((r) => r.mutationId === mutationId)!.reason,
    rejectedAt: '2026-11-25T01:01:00.000Z',
    editable,
  });
  api.rejectedDetails.set(NOTE_M, detail(NOTE_M, 'note.save', { kind: 'note', text: 'Wants a refnud' }));
  api.rejectedDetails.set(VOC_M, detail(VOC_M, 'voc.create', { kind: 'voc', type: 'inquiry', topic: 'refund', description: 'asked twice' }));
  api.rejectedDetails.set(DISP_M, detail(DISP_M, 'disposition.set', null));
  return app;
}

async function openDetail(user: ReturnType<typeof renderApp>['user']) {
  await user.click(await screen.findByTestId('sync-status'));
  return screen.findAllByTestId('sync-rejected');
}

describe('fix and retry, or discard, what the center refused', () => {
  it('opens a refused note for editing and sends the fixed text again as a new change', async () => {
    const { api, user } = withRefusals();
    const items = await openDetail(user);
    expect(items).toHaveLength(3);
    expect(items[0]?.textContent).toMatch(/Note at .*The interaction does not exist/);
    await user.click(within(items[0]!).getByTestId('rejected-fix-open'));
    const text = await screen.findByTestId('rejected-fix-text');
    expect((text as HTMLTextAreaElement).value).toBe('Wants a refnud');
    // The editor takes the focus: fixing is keyboard work.
    expect(document.activeElement).toBe(text);
    await user.clear(text);
    await user.type(text, 'Wants a refund');
    await user.click(screen.getByTestId('rejected-fix-send'));
    await waitFor(() => expect(screen.getAllByTestId('sync-rejected')).toHaveLength(2));
    expect(api.callsOf('retryRejectedMutation')).toEqual([[{ mutationId: NOTE_M, edit: { kind: 'note', text: 'Wants a refund' } }]]);
    expect(screen.queryByTestId('rejected-fix')).toBeNull();
    expect(screen.getByTestId('sync-pending').textContent).toBe('1');
  });

  it('fixes a refused VOC item: type, topic and line', async () => {
    const { api, user } = withRefusals();
    const items = await openDetail(user);
    await user.click(within(items[1]!).getByTestId('rejected-fix-open'));
    await user.selectOptions(await screen.findByTestId('rejected-fix-voc-type'), 'complaint');
    await user.type(screen.getByTestId('rejected-fix-voc-description'), ' about the refund');
    await user.click(screen.getByTestId('rejected-fix-send'));
    await waitFor(() => expect(api.callsOf('retryRejectedMutation')).toHaveLength(1));
    expect(api.callsOf('retryRejectedMutation')[0]).toEqual([
      // A complaint is not answered on the contact, and may say what the customer wants.
      { mutationId: VOC_M, edit: { kind: 'voc', type: 'complaint', topic: 'refund', description: 'asked twice about the refund', resolvedOnContact: false, wants: null } },
    ]);
  });

  it('takes no more in a fixed field than the contract accepts (the limits of shared/domain)', async () => {
    const { user } = withRefusals();
    const items = await openDetail(user);
    await user.click(within(items[0]!).getByTestId('rejected-fix-open'));
    expect(((await screen.findByTestId('rejected-fix-text')) as HTMLTextAreaElement).maxLength).toBe(NOTE_MAX_CHARS);
    await user.click(within(screen.getAllByTestId('sync-rejected')[1]!).getByTestId('rejected-fix-open'));
    expect(((await screen.findByTestId('rejected-fix-voc-topic')) as HTMLInputElement).maxLength).toBe(VOC_TOPIC_MAX_CHARS);
    expect((screen.getByTestId('rejected-fix-voc-description') as HTMLTextAreaElement).maxLength).toBe(VOC_DESCRIPTION_MAX_CHARS);
  });

  it('offers only discard for what cannot be edited, and discards', async () => {
    const { api, user } = withRefusals();
    const items = await openDetail(user);
    await user.click(within(items[2]!).getByTestId('rejected-fix-open'));
    expect(await screen.findByText(/cannot be edited here; discard it/)).toBeTruthy();
    expect(screen.queryByTestId('rejected-fix')).toBeNull();
    await user.click(within(screen.getAllByTestId('sync-rejected')[2]!).getByTestId('rejected-discard'));
    await waitFor(() => expect(screen.getAllByTestId('sync-rejected')).toHaveLength(2));
    expect(api.callsOf('discardRejectedMutation')).toEqual([[{ mutationId: DISP_M }]]);
    expect(screen.queryByText(/cannot be edited here/)).toBeNull();
  });

  it('keeps the edit when the desktop refuses the retry, and says why', async () => {
    const { api, user } = withRefusals();
    const items = await openDetail(user);
    await user.click(within(items[0]!).getByTestId('rejected-fix-open'));
    const text = await screen.findByTestId('rejected-fix-text');
    await user.type(text, '!');
    api.failNext('retryRejectedMutation', { code: 'forbidden', message: 'This note belongs to another agent' });
    await user.click(screen.getByTestId('rejected-fix-send'));
    expect((await screen.findByRole('alert')).textContent).toMatch(/did not work: This note belongs to another agent/);
    expect((screen.getByTestId('rejected-fix-text') as HTMLTextAreaElement).value).toBe('Wants a refnud!');
    expect(screen.getAllByTestId('sync-rejected')).toHaveLength(3);
    // Escape closes the editor without sending.
    await user.keyboard('{Escape}');
    expect(screen.queryByTestId('rejected-fix')).toBeNull();
    expect(api.callsOf('retryRejectedMutation')).toHaveLength(1);
  });
});
