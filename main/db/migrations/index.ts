// The ordered list of the desktop database's migrations.
import { migration0001 } from './0001-init';
import { migration0002 } from './0002-center-identity';
import { migration0003 } from './0003-voc-loop';
import { migration0004 } from './0004-session-at-rest';
import { migration0005 } from './0005-customer-version';
import { migration0006 } from './0006-conversation-outbox';
import { migration0007 } from './0007-reply-snippets';
import type { Migration } from './types';

export type { Migration } from './types';
export const migrations: readonly Migration[] = [migration0001, migration0002, migration0003, migration0004, migration0005, migration0006, migration0007];
