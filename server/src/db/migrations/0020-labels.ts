// Migration 0020: queue and disposition names in the agents' languages (`{"ko": "기술 지원"}`); the
// desktop shows the one for its language and falls back to the name as given.
export const sql = /* sql */ `
ALTER TABLE queues ADD COLUMN labels jsonb NOT NULL DEFAULT '{}';
ALTER TABLE queue_disposition_codes ADD COLUMN labels jsonb NOT NULL DEFAULT '{}';
`;
