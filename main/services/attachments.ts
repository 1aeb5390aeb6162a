// Mail attachments for the inbox (DesktopApi getConversationAttachment): read from the center's
// `GET /api/attachments/{ref}` (server/src/channels/attachments.ts) with the session's bearer token,
// which the renderer never holds; handed over base64-encoded, with the type the center served (its
// own only when safe, else application/octet-stream), for the renderer to save as a download.
// Nothing is kept here.
import type { AttachmentFile, AttachmentRequest } from '../../shared/api/inbox';
import { createCenterDownload, type CenterHttpDeps } from './center-http';

export interface AttachmentReader {
  get(request: AttachmentRequest): Promise<AttachmentFile>;
}

export function createAttachmentReader(deps: CenterHttpDeps): AttachmentReader {
  const download = createCenterDownload(deps, {
    signIn: 'Sign in first to open attachments.',
    offline: 'The Earshot center cannot be reached, so the attachment cannot be opened now. Attachments are kept at the center; try again when the connection is back.',
    unavailable: 'The Earshot center could not give the attachment',
  });
  return {
    async get({ ref, name }) {
      const file = await download(`/api/attachments/${encodeURIComponent(ref)}`);
      return { name, contentType: file.contentType, base64: file.bytes.toString('base64') };
    },
  };
}
