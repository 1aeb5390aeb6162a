// Migration 0020: queue, disposition, VOC topic and department names in the agents' languages (`{"ko": "기술 지원"}`; the
// desktop shows the one for its language and falls back to the name as given), and supervisors and
// admins who also take calls (their desktop offers the agent's view; the floor counts them as agents).
export const sql = /* sql */ `
ALTER TABLE users ADD COLUMN takes_calls boolean NOT NULL DEFAULT false;
ALTER TABLE queues ADD COLUMN labels jsonb NOT NULL DEFAULT '{}';
ALTER TABLE queue_disposition_codes ADD COLUMN labels jsonb NOT NULL DEFAULT '{}';
ALTER TABLE voc_topics ADD COLUMN labels jsonb NOT NULL DEFAULT '{}';
ALTER TABLE departments ADD COLUMN labels jsonb NOT NULL DEFAULT '{}';
`;
