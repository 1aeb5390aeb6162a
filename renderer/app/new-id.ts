// Client-generated ids for things the agent creates (notes, VOC items): UUIDs, so the desktop and
// the center can apply a create idempotently by id.
import { nanoid } from '@reduxjs/toolkit';

export const newClientId = (): string =>
  typeof crypto !== 'undefined' && typeof crypto.randomUUID === 'function' ? crypto.randomUUID() : nanoid();
