// The ordered list of the desktop database's migrations.
import { migration0001 } from './0001-init';
import { migration0004 } from './0004-voc-loop';
import type { Migration } from './types';

export type { Migration } from './types';
export const migrations: readonly Migration[] = [migration0001, migration0004];
