// Migration 0008: change-log versions come from a sequence taken under a transaction-scoped advisory
// lock instead of the single-row counter of 0001. Every writer updated that one row, so any two
// overlapping REPEATABLE READ writers failed with 40001 and were re-run: on a busy floor (an offer per
// ringing call, pushes, imports) most of the database time went into re-runs. The lock keeps versions
// in commit order as the row lock did (sync/change-log.ts says why); the high-water mark a reader needs
// is read from change_log and change_log_horizon within its own snapshot.
export const sql = /* sql */ `
CREATE SEQUENCE change_log_version_seq AS bigint MINVALUE 1;
SELECT setval('change_log_version_seq', (SELECT version FROM change_version WHERE id = 1) + 1, false);
DROP TABLE change_version;
`;
