// Creates VOC items through the DesktopApi when the agent adds one, and shows the center's number and
// step on them as soon as a sync brings them (the agent can read the number out on the same call).
import type { AppStartListening } from '../../app/listener';
import { vocCenterChanged } from '../voc-desk/voc-desk-slice';
import { vocItemCreated, vocItemFailed, vocItemsRefreshed, vocItemSubmitted } from './voc-slice';

export function registerVocListeners(startListening: AppStartListening): void {
  startListening({
    actionCreator: vocItemSubmitted,
    effect: async (action, listener) => {
      // A second press while the first add is in flight changes nothing.
      if (listener.getOriginalState().voc.form.submitting) return;
      const { form } = listener.getState().voc;
      if (!form.submissionId) return;
      const response = await listener.extra.api.invoke('createVocItem', {
        id: form.submissionId,
        customerId: action.payload.customerId,
        interactionId: action.payload.interactionId,
        type: form.type,
        topic: form.topic.trim(),
        description: form.description.trim(),
        topicId: form.topicId,
        priority: form.priority,
        safety: form.safety,
        wants: form.type === 'complaint' ? form.wants : null,
        resolvedOnContact: form.resolvedOnContact,
      });
      if (response.ok) listener.dispatch(vocItemCreated(response.value));
      else listener.dispatch(vocItemFailed(response.error.message));
    },
  });
  startListening({
    actionCreator: vocCenterChanged,
    effect: async (action, listener) => {
      const { id } = action.payload;
      if (!listener.getState().voc.items.entities[id]) return;
      const response = await listener.extra.api.invoke('getVocItems', { ids: [id] });
      if (response.ok) listener.dispatch(vocItemsRefreshed(response.value));
    },
  });
}
