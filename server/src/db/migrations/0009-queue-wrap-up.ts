// Migration 0009: each queue's after-call work (DOMAIN.md, agent states): whether a call that ends sends
// its agent to wrap_up or straight back to available, and after how many seconds wrap-up ends on its own
// (NULL: only when the agent says so). Changed with `earshot-center queue set`; a running center re-reads
// them with the other queue settings (settings_updated_at of 0006).
export const sql = /* sql */ `
ALTER TABLE queues ADD COLUMN wrap_up boolean NOT NULL DEFAULT true;
ALTER TABLE queues ADD COLUMN wrap_up_limit_sec int CHECK (wrap_up_limit_sec IS NULL OR wrap_up_limit_sec BETWEEN 0 AND 7200);
`;
