// The ordered list of the desktop database's migrations.
import { migration0001 } from './0001-init';
import { migration0003 } from './0003-session-at-rest';
import type { Migration } from './types';

export type { Migration } from './types';
export const migrations: readonly Migration[] = [migration0001, migration0003];
