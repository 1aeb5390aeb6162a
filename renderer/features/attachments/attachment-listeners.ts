// Mail attachments in the inbox: the agent asks for one (`attachmentRequested`); the desktop fetches it
// from the center with the session's token (DesktopApi getConversationAttachment) and it is saved as a
// download under the name the mail gave it. What went wrong is shown as the inbox's notice.
import { createAction } from '@reduxjs/toolkit';
import type { AppStartListening } from '../../app/listener';
import { noticeShown } from '../inbox/inbox-slice';
import { downloadBlob } from './download';

export const attachmentRequested = createAction<{ conversationId: string; ref: string; name: string }>('attachments/requested');

export function registerAttachmentListeners(startListening: AppStartListening): void {
  startListening({
    actionCreator: attachmentRequested,
    effect: async ({ payload }, listener) => {
      const file = await listener.extra.api.invoke('getConversationAttachment', { ref: payload.ref, name: payload.name });
      if (!file.ok) {
        listener.dispatch(noticeShown({ conversationId: payload.conversationId, message: file.error.message }));
        return;
      }
      const bytes = Uint8Array.from(atob(file.value.base64), (c) => c.charCodeAt(0));
      downloadBlob(file.value.name, new Blob([bytes], { type: file.value.contentType }));
    },
  });
}
