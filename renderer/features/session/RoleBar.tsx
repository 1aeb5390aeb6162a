// The bar across the top of the screens that are not the agent's call desk (the VOC desk, the floor
// view): who is signed in (and signing out), the way to the other screen, sync state (with what the
// center refused), language and settings.
import type { ReactNode } from 'react';
import { useT } from '../../i18n/use-t';
import { LanguageSwitch } from '../settings/LanguageSwitch';
import { SettingsButton } from '../settings/SettingsDialog';
import { SyncStatusIndicator } from '../sync-status/SyncStatusIndicator';
import { SignedInAs } from './SignedInAs';

export function RoleBar({ label, testId, children }: { label: string; testId: string; children?: ReactNode }) {
  const t = useT();
  return (
    <header className="agent-bar" data-testid={testId} aria-label={label}>
      <span className="brand">{t('app.title')}</span>
      <SignedInAs />
      {children}
      <SyncStatusIndicator />
      <LanguageSwitch />
      <SettingsButton />
    </header>
  );
}
