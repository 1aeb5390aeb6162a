// Migration 0014: the center database's identity (issue #20). Desktops remember it from every pull
// and push answer; a restore from a backup adds a new one (restored_from: the identity the backup
// carried), so a desktop that meets it knows its pull cursor, push sequence and acknowledged notes
// may be ahead of this database, and starts over with it (README, "Back up and restore the center").
export const sql = /* sql */ `
CREATE TABLE center_identity (
  n             int GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  id            uuid NOT NULL UNIQUE,
  began_at      timestamptz NOT NULL DEFAULT now(),
  restored_from uuid
);
INSERT INTO center_identity (id) VALUES (gen_random_uuid());
`;
