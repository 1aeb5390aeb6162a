// A desktop older than the sync schema the center accepts is told to update; its changes wait.
import { CenterError } from '../base/errors';

export const updateRequired = (schemaVersion: number, min: number) =>
  new CenterError(
    'update_required',
    `This desktop speaks sync schema ${schemaVersion}, older than the center accepts (${min}). Update Earshot desktop; unsynced changes are kept until then.`,
  );
