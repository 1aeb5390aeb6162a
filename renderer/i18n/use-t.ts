// React hook giving components a translator bound to the current UI language.
import { useCallback } from 'react';
import { useSelector } from 'react-redux';
import { translate, type Locale, type MessageKey, type MessageParams } from './index';
import { selectLocale, type LocaleState } from './locale-slice';

export type Translate = (key: MessageKey, params?: MessageParams) => string;

export function useLocale(): Locale {
  return useSelector((state: { locale: LocaleState }) => selectLocale(state));
}

export function useT(): Translate {
  const locale = useLocale();
  return useCallback((key: MessageKey, params?: MessageParams) => translate(locale, key, params), [locale]);
}
