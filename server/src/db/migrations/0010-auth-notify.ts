// Migration 0010: every change that can end or alter a live session — a session revoked, expired
// early or deleted; a user disabled, deleted, renamed or given another role — is announced on the
// channel `earshot_auth`, with the session's token hash or '*' for "any session of some user".
// Center nodes keep the sessions they checked in memory and drop them on these notifications
// (server/src/auth/session-check.ts). The triggers catch every path, the CLI and plain SQL included.
export const sql = /* sql */ `
CREATE FUNCTION earshot_auth_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_TABLE_NAME = 'sessions' THEN
    PERFORM pg_notify('earshot_auth', OLD.token_hash);
  ELSE
    PERFORM pg_notify('earshot_auth', '*');
  END IF;
  RETURN NULL;
END
$$;
CREATE TRIGGER sessions_auth_changed AFTER UPDATE OF token_hash, tenant_id, user_id, expires_at, revoked_at OR DELETE ON sessions
  FOR EACH ROW EXECUTE FUNCTION earshot_auth_changed();
CREATE TRIGGER users_auth_changed AFTER UPDATE OF id, tenant_id, username, display_name, role, password_hash, disabled OR DELETE ON users
  FOR EACH ROW EXECUTE FUNCTION earshot_auth_changed();
`;
