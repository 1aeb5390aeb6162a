// The email channel as a library: the SMTP receiver, parsing and classification of inbound mail,
// threading keys, and replies through the tenant's server. No database: the center wires it to
// the conversations store through `OnMail` and `FindThread` (README.md).
export type {
  AttachmentLimits,
  BouncedRecipient,
  DeliveryReport,
  DroppedAttachment,
  FindThread,
  FoldedText,
  InboundMail,
  MailAddress,
  MailAttachment,
  MailClassification,
  MailEnvelope,
  MailKind,
  MailVerdict,
  OnMail,
  SanitisedHtml,
} from './types';
export { DEFAULT_ATTACHMENT_LIMITS } from './types';
export { parseInboundMail, type ParseOutcome } from './parse';
export { classifyMail, indexHeaders, parseDeliveryReport, type HeaderIndex } from './classify';
export { foldQuotedText } from './fold';
export { sanitiseMailHtml } from './sanitize';
export {
  findMailThread,
  messageIdList,
  newSubjectReference,
  normaliseMessageId,
  replySubject,
  subjectReference,
  threadLookupIds,
} from './threading';
export { startEmailReceiver, tenantForRecipient, type EmailReceiver, type EmailReceiverOptions } from './receiver';
export {
  composeMessage,
  composeReply,
  createEmailSender,
  threadReferences,
  type DeliveryResult,
  type EmailSender,
  type EmailSenderOptions,
  type OutboundMessage,
  type OutboundReply,
  type TenantSmtpSettings,
} from './outbound';
