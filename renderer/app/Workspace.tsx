// The signed-in agent's workspace: the screen pop on one side, notes and VOC items on the other.
// TODO(contract): call controls and wrap-up (disposition) need DesktopApi methods; see
// features/wrap-up/README.md. Notes stay editable after the call whatever wrap-up does.
import { NotesEditor } from '../features/notes/NotesEditor';
import { ScreenPopPane } from '../features/screen-pop/ScreenPopPane';
import { ShortcutSheet } from '../features/shortcuts/ShortcutSheet';
import { useShortcuts } from '../features/shortcuts/use-shortcuts';
import { VocPanel } from '../features/voc/VocPanel';
import { AgentBar } from './AgentBar';

export function Workspace() {
  useShortcuts();
  return (
    <div className="workspace">
      <AgentBar />
      <main className="workspace-main">
        <div className="pane pane-pop">
          <ScreenPopPane />
        </div>
        <div className="pane pane-work">
          <NotesEditor />
          <VocPanel />
        </div>
      </main>
      <ShortcutSheet />
    </div>
  );
}
