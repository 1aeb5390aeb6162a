// The signed-in agent's workspace: the screen pop on one side; call controls, notes, wrap-up and
// VOC items on the other, and the follow-up calls due beside them; the inbox of chats and emails beside the call area. Notes stay editable after the call whatever wrap-up does.
import { CallControls } from '../features/call-controls/CallControls';
import { NotesEditor } from '../features/notes/NotesEditor';
import { ScreenPopPane } from '../features/screen-pop/ScreenPopPane';
import { VocPanel } from '../features/voc/VocPanel';
import { WrapUpPanel } from '../features/wrap-up/WrapUpPanel';
import { TopBar } from './TopBar';
import { GreatServiceBanner } from '../features/great-service/GreatServiceBanner';
import { ImprovementsSharedBanner } from '../features/improvements/ImprovementsSharedBanner';
import { FollowUpsPanel } from '../features/follow-ups/FollowUpsPanel';
import { InboxPanel } from '../features/inbox/InboxPanel';

export function Workspace() {
  return (
    <div className="workspace">
      <TopBar />
      <GreatServiceBanner />
      <ImprovementsSharedBanner />
      <main className="workspace-main">
        <div className="pane pane-pop">
          <ScreenPopPane />
        </div>
        <div className="pane pane-work">
          <CallControls />
          <NotesEditor />
          <WrapUpPanel />
          <VocPanel />
          <FollowUpsPanel />
        </div>
        <div className="pane pane-inbox">
          <InboxPanel />
        </div>
      </main>
    </div>
  );
}
