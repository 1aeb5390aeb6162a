// Migration 0006: each queue's metric settings (DOMAIN.md, queue metrics): the service-level formula in
// force, its threshold T, and the short-abandon threshold; read by the live metrics and changed with
// `earshot-center queue set`. settings_updated_at tells a running center that an admin changed them.
export const sql = /* sql */ `
ALTER TABLE queues ADD COLUMN sl_formula text NOT NULL DEFAULT 'abandons_count_against'
  CHECK (sl_formula IN ('abandons_count_against', 'early_abandons_ignored', 'abandons_excluded'));
ALTER TABLE queues ADD COLUMN sl_threshold_sec int NOT NULL DEFAULT 20 CHECK (sl_threshold_sec BETWEEN 1 AND 3600);
ALTER TABLE queues ADD COLUMN short_abandon_sec int NOT NULL DEFAULT 5 CHECK (short_abandon_sec BETWEEN 0 AND 600);
ALTER TABLE queues ADD COLUMN settings_updated_at timestamptz NOT NULL DEFAULT now();
`;
