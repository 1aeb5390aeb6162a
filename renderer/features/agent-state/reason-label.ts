// A not-ready reason in the UI's language: the reasons agents pick and the ones the center sets
// (a missed call, a supervisor's force, a pause); any other code a tenant's switch sends, as it is.
import type { Translate } from '../../i18n/use-t';

const LABELLED = ['break', 'meal', 'training', 'meeting', 'missed', 'forced', 'paused'] as const;
type Labelled = (typeof LABELLED)[number];
const isLabelled = (r: string): r is Labelled => (LABELLED as readonly string[]).includes(r);

export function reasonLabel(t: Translate, reason: string): string {
  return isLabelled(reason) ? t(`agentState.reason.${reason}`) : reason;
}
