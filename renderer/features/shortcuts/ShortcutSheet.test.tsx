// Keyboard shortcuts: `?` opens the sheet (not while typing), Escape closes it, Alt+N / Alt+S move focus.
import { act, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { makeCall, makePop } from '../../test-support/fixtures';
import { renderApp, stopRenderedApps } from '../../test-support/render-app';

afterEach(stopRenderedApps);

describe('keyboard shortcuts', () => {
  it('opens the sheet with ? and closes it with Escape', async () => {
    const { user } = renderApp();
    await screen.findByTestId('agent-bar');
    await user.keyboard('?');
    const sheet = await screen.findByRole('dialog', { name: 'Keyboard shortcuts' });
    expect(sheet.textContent).toMatch(/Alt\+V.*Add a VOC item/);
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('does not steal ? from the notes, and moves focus with Alt+N and Alt+S', async () => {
    const { api, user } = renderApp();
    await screen.findByTestId('waiting-for-call');
    act(() => api.emit('callOffered', { call: makeCall(), pop: makePop() }));
    const editor = await screen.findByTestId('note-editor');

    await user.keyboard('{Alt>}s{/Alt}');
    expect(document.activeElement).toBe(screen.getByTestId('customer-search'));
    await user.keyboard('{Alt>}n{/Alt}');
    expect(document.activeElement).toBe(editor);
    await user.keyboard('Why?');
    expect((editor as HTMLTextAreaElement).value).toBe('Why?');
    expect(screen.queryByRole('dialog')).toBeNull();
  });
});
