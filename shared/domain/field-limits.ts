// How much a person may type into each field: the one source for the zod schemas (on the wire and
// in the DesktopApi) and for the renderer's `maxLength`, so a form never takes what the contract refuses.

/** A note's whole text. */
export const NOTE_MAX_CHARS = 20_000;
/** A VOC item's topic: one line naming what it is about. */
export const VOC_TOPIC_MAX_CHARS = 120;
/** A VOC item's description: what the customer said. */
export const VOC_DESCRIPTION_MAX_CHARS = 1000;
/** A supervisor's line of why an interaction was great service. */
export const GREAT_SERVICE_WHY_MAX = 280;
/** Where a call is transferred: a queue, an extension or a number. */
export const TRANSFER_TARGET_MAX_CHARS = 128;
/** The agent's customer search (also when linking an unknown caller to a customer). */
export const CUSTOMER_SEARCH_MAX_CHARS = 200;
/** Signing in: the tenant (also the pre-filled tenant setting), the username and the password. */
export const TENANT_MAX_CHARS = 64;
export const USERNAME_MAX_CHARS = 64;
export const PASSWORD_MAX_CHARS = 256;
