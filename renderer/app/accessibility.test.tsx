// axe-core over the rendered agent view: sign-in, the workspace waiting, a full pop with the VOC
// form open and the shortcut sheet, in English and Korean. Colour contrast needs real layout, so
// it is left to the end-to-end run in Chromium.
import { act, screen } from '@testing-library/react';
import axe from 'axe-core';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeDesktopApi } from '../test-support/fake-desktop-api';
import { makeCall, makePop } from '../test-support/fixtures';
import { renderApp, stopRenderedApps } from '../test-support/render-app';

afterEach(stopRenderedApps);

async function violations(): Promise<string[]> {
  const result = await axe.run(document.body, { rules: { 'color-contrast': { enabled: false } } });
  return result.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
}

describe('accessibility', () => {
  it('the check itself catches an unlabelled field', async () => {
    const input = document.createElement('input');
    document.body.append(input);
    try {
      expect((await violations()).some((v) => v.startsWith('label:'))).toBe(true);
    } finally {
      input.remove();
    }
  });

  it('the sign-in form has no axe violations', async () => {
    const api = new FakeDesktopApi();
    api.session = { signedIn: false, centerUrl: 'http://127.0.0.1:7300', user: null };
    renderApp({ api });
    await screen.findByTestId('sign-in');
    expect(await violations()).toEqual([]);
  });

  it.each(['en', 'ko'] as const)('the workspace with a pop, the VOC form and the sheet has no axe violations (%s)', async (locale) => {
    const { api, user } = renderApp({ locale });
    await screen.findByTestId('waiting-for-call');
    expect(await violations()).toEqual([]);

    act(() => api.emit('callOffered', { call: makeCall(), pop: makePop() }));
    await screen.findByTestId('screen-pop');
    await user.click(screen.getByTestId('voc-add'));
    await user.click(screen.getByTestId('sync-status'));
    expect(await violations()).toEqual([]);

    await user.keyboard('{Escape}');
    await user.click(document.body);
    await user.keyboard('?');
    await screen.findByRole('dialog');
    expect(await violations()).toEqual([]);
  });
});
