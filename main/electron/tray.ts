// The tray icon: the agent's call and connection state at a glance; a click brings the window back.
import { Menu, Tray, nativeImage } from 'electron';
import path from 'node:path';
import type { TrayStatus } from './tray-status';

export interface EarshotTray {
  show(status: TrayStatus): void;
  destroy(): void;
}

export function createTray(iconsDir: string, actions: { open(): void; exportDiagnostics(): void; quit(): void }): EarshotTray {
  const icon = (name: TrayStatus['icon']) => nativeImage.createFromPath(path.join(iconsDir, `${name}.png`));
  const tray = new Tray(icon('offline'));
  tray.setContextMenu(
    Menu.buildFromTemplate([
      { label: 'Open Earshot', click: actions.open },
      { label: 'Export diagnostics…', click: actions.exportDiagnostics },
      { type: 'separator' },
      { label: 'Quit', click: actions.quit },
    ]),
  );
  tray.on('click', actions.open);
  let last = '';
  return {
    show(status) {
      const key = `${status.icon}|${status.tooltip}`;
      if (key === last) return;
      last = key;
      tray.setImage(icon(status.icon));
      tray.setToolTip(status.tooltip);
    },
    destroy: () => tray.destroy(),
  };
}
