// The catalogues match key for key, translation fills parameters, the locale follows the browser,
// and the workspace renders in Korean when Korean is chosen.
import { act, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { makeCall, makePop } from '../test-support/fixtures';
import { renderApp, stopRenderedApps } from '../test-support/render-app';
import { en } from './en';
import { ko } from './ko';
import { catalogues, detectLocale, formatDateTime, formatNumber, LOCALES, translate } from './index';

afterEach(stopRenderedApps);

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('catalogues', () => {
  it('have exactly the same keys in every language', () => {
    const reference = Object.keys(en).sort();
    for (const locale of LOCALES) expect(Object.keys(catalogues[locale]).sort()).toEqual(reference);
    expect(Object.keys(ko).sort()).toEqual(reference);
  });

  it('use the same placeholders in every language and leave no message empty', () => {
    for (const key of Object.keys(en) as Array<keyof typeof en>) {
      expect(placeholders(ko[key]), key).toEqual(placeholders(en[key]));
      expect(ko[key].trim(), key).not.toBe('');
    }
  });
});

describe('translate and formatting', () => {
  it('fills parameters and leaves unknown ones visible', () => {
    expect(translate('en', 'sync.pending', { count: 4 })).toBe('4 changes waiting to sync');
    expect(translate('ko', 'sync.pending', { count: 4 })).toBe('동기화 대기 중인 변경 4건');
    expect(translate('en', 'sync.pending')).toBe('{count} changes waiting to sync');
  });

  it('follows the browser/OS language, falling back to English', () => {
    expect(detectLocale(['ko-KR', 'en-US'])).toBe('ko');
    expect(detectLocale(['fr-FR', 'en-GB'])).toBe('en');
    expect(detectLocale(['de'])).toBe('en');
  });

  it('formats dates and numbers for the locale', () => {
    expect(formatNumber('en', 1250000)).toBe('1,250,000');
    expect(formatNumber('ko', 1250000)).toBe('1,250,000');
    const iso = '2026-11-25T01:00:00.000Z';
    expect(formatDateTime('en', iso)).toMatch(/2026/);
    expect(formatDateTime('ko', iso)).toMatch(/2026\. 11\. 2[45]\./);
    expect(formatDateTime('en', iso)).not.toBe(formatDateTime('ko', iso));
  });
});

describe('Korean workspace', () => {
  it('renders the agent bar, pop and notes in Korean', async () => {
    const { api } = renderApp({ locale: 'ko' });
    expect((await screen.findByTestId('sync-status')).textContent).toContain('온라인');
    expect(screen.getByTestId('waiting-for-call').textContent).toBe('전화를 기다리는 중');

    act(() => api.emit('callOffered', { call: makeCall({ ani: '0212345678' }), pop: null }));
    expect((await screen.findByTestId('customer-name')).textContent).toBe('신규 고객 02-1234-5678');
    expect(screen.getByTestId('note-status').textContent).toBe('아직 작성한 내용이 없습니다');
    expect(document.documentElement.lang).toBe('ko');

    act(() => api.emit('screenPopUpdated', { interactionId: makeCall().interactionId, pop: makePop() }));
    const pane = screen.getByTestId('screen-pop');
    expect(within(pane).getAllByTestId('history-item')[0]?.textContent).toMatch(/전화.*상담원 agent2.*처리 결과: resolved/);
    expect(within(pane).getByTestId('customer-tier').textContent).toContain('등급: VIP');
  });

  it('switches language from the agent bar', async () => {
    const { user } = renderApp({ locale: 'en' });
    await screen.findByTestId('agent-bar');
    await user.selectOptions(screen.getByTestId('language-switch'), 'ko');
    expect(screen.getByTestId('sync-status').textContent).toContain('온라인');
    expect(screen.getByTestId('waiting-for-call').textContent).toBe('전화를 기다리는 중');
  });
});
