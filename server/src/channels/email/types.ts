// The email channel's data: what the receiver hands the center for each inbound message, and the
// ports the center offers back. Message ids are kept without their angle brackets.

export interface MailAddress {
  address: string;
  name: string;
}

/** Who delivered the message over SMTP, and for which tenant. */
export interface MailEnvelope {
  tenant: string;
  /** MAIL FROM; null for the null sender `<>` (bounces, auto-replies). */
  mailFrom: string | null;
  rcptTo: string[];
  remoteAddress: string | null;
}

export interface MailAttachment {
  filename: string;
  contentType: string;
  size: number;
  sha256: string;
  /** Content-ID without brackets, when the HTML shows it inline (`cid:`). */
  contentId: string | null;
  inline: boolean;
  content: Buffer;
}

/** An attachment not kept, and why: the agent is told. */
export interface DroppedAttachment {
  filename: string;
  contentType: string;
  size: number;
  reason: string;
}

/** One failed (or delayed) recipient of an RFC 3464 delivery status notification. */
export interface BouncedRecipient {
  recipient: string;
  action: string;
  /** RFC 3463 status, e.g. `5.1.1`. */
  status: string;
  /** A 5.x.x status: the address will not work if tried again. */
  permanent: boolean;
  diagnostic: string | null;
}

export interface DeliveryReport {
  reportingMta: string | null;
  /** RFC 3461 ENVID we sent (`Original-Envelope-Id`): the idempotency key of the reply it reports on. */
  envelopeId: string | null;
  recipients: BouncedRecipient[];
  /** Message-ID of our mail that bounced, from the returned headers: threads the bounce. */
  originalMessageId: string | null;
}

/** `bounce`: a delivery report with a failed recipient; `delivery-report`: only delivered/relayed/delayed ones. */
export type MailKind = 'personal' | 'auto-reply' | 'bounce' | 'delivery-report' | 'bulk';

export interface MailClassification {
  kind: MailKind;
  /** RFC 3834: no automatic answer (acknowledgement, auto-reply) may be sent to this message. */
  neverAnswerAutomatically: boolean;
  /** The headers or facts that decided it, e.g. `Auto-Submitted: auto-replied`. */
  reasons: string[];
  deliveryReport: DeliveryReport | null;
}

export interface FoldedText {
  /** The whole text body, nothing removed. */
  full: string;
  /** What the sender wrote in this message (the part shown unfolded). */
  reply: string;
  /** The quoted history below it (shown folded); empty when there is none. */
  quoted: string;
}

export interface SanitisedHtml {
  html: string;
  /** Images not shown: remote or `data:` ones (a tracking pixel tells the sender who opened it, and when), or inline ones whose attachment was dropped. */
  imagesBlocked: number;
}

export interface InboundMail {
  envelope: MailEnvelope;
  /** De-duplication key: the Message-ID, or one derived from the content when the header is missing. */
  messageId: string;
  messageIdGenerated: boolean;
  inReplyTo: string[];
  references: string[];
  subject: string;
  /** Our subject token (`ES-4F2A9C` from `[#ES-4F2A9C]`), when the subject carries one. */
  subjectRef: string | null;
  from: MailAddress;
  replyTo: MailAddress[];
  to: MailAddress[];
  cc: MailAddress[];
  /** The Date header (ISO 8601), null when missing or unreadable. */
  date: string | null;
  receivedAt: string;
  text: FoldedText;
  /** Sanitised HTML body, null when the message has none. */
  html: SanitisedHtml | null;
  attachments: MailAttachment[];
  droppedAttachments: DroppedAttachment[];
  classification: MailClassification;
  /** Size of the raw message in bytes. */
  size: number;
}

export interface MailVerdict {
  accepted: boolean;
  /** Why it was refused, sent back to the sending server in the SMTP reply. */
  reason?: string;
}

/** The center's intake: store the mail, open or continue a conversation. Throwing means "try later" (451). */
export type OnMail = (mail: InboundMail) => Promise<MailVerdict>;

/** The conversations store's lookup: the conversation holding any of these Message-IDs, else the subject token's. */
export type FindThread = (messageIds: string[], subjectRef: string | null) => Promise<string | null>;

export interface AttachmentLimits {
  /** Largest attachment kept, in bytes. */
  maxAttachmentBytes: number;
  /** Largest sum of kept attachments per message, in bytes. */
  maxTotalAttachmentBytes: number;
}

export const DEFAULT_ATTACHMENT_LIMITS: AttachmentLimits = {
  maxAttachmentBytes: 10 * 1024 * 1024,
  maxTotalAttachmentBytes: 20 * 1024 * 1024,
};
