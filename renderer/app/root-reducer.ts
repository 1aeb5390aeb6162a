// Every slice of the agent view, combined: the shape of RootState.
import { combineReducers } from '@reduxjs/toolkit';
import { localeReducer } from '../i18n/locale-slice';
import { analysisReducer } from '../features/analysis/analysis-slice';
import { agentStateReducer } from '../features/agent-state/agent-state-slice';
import { callControlsReducer } from '../features/call-controls/call-controls-slice';
import { historyReducer } from '../features/history/history-slice';
import { notesReducer } from '../features/notes/notes-slice';
import { screenPopReducer } from '../features/screen-pop/screen-pop-slice';
import { searchReducer } from '../features/search/search-slice';
import { settingsReducer } from '../features/settings/settings-slice';
import { sessionReducer } from '../features/session/session-slice';
import { shellReducer } from '../features/shell/shell-slice';
import { shortcutsReducer } from '../features/shortcuts/shortcuts-slice';
import { supervisorReducer } from '../features/supervisor/supervisor-slice';
import { greatServiceReducer } from '../features/great-service/great-service-slice';
import { inboxReducer } from '../features/inbox/inbox-slice';
import { syncStatusReducer } from '../features/sync-status/sync-status-slice';
import { rejectedReducer } from '../features/sync-status/rejected-slice';
import { vocReducer } from '../features/voc/voc-slice';
import { vocReferenceReducer } from '../features/voc/reference-slice';
import { vocDeskReducer } from '../features/voc-desk/voc-desk-slice';
import { followUpsReducer } from '../features/follow-ups/follow-ups-slice';
import { improvementsReducer } from '../features/improvements/improvements-slice';
import { wrapUpReducer } from '../features/wrap-up/wrap-up-slice';

export const rootReducer = combineReducers({
  locale: localeReducer,
  session: sessionReducer,
  shell: shellReducer,
  syncStatus: syncStatusReducer,
  rejected: rejectedReducer,
  screenPop: screenPopReducer,
  history: historyReducer,
  notes: notesReducer,
  voc: vocReducer,
  vocReference: vocReferenceReducer,
  vocDesk: vocDeskReducer,
  followUps: followUpsReducer,
  search: searchReducer,
  settings: settingsReducer,
  shortcuts: shortcutsReducer,
  agentState: agentStateReducer,
  callControls: callControlsReducer,
  wrapUp: wrapUpReducer,
  supervisor: supervisorReducer,
  greatService: greatServiceReducer,
  inbox: inboxReducer,
  analysis: analysisReducer,
  improvements: improvementsReducer,
});

export type RootState = ReturnType<typeof rootReducer>;
