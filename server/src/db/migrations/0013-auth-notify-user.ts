// Migration 0013: a change to a user is announced as `user:<id>` instead of '*' (0010), so a node
// forgets and re-checks only that user's sessions, and can hang up that user's sockets at once
// (a user disabled or given another role) without reading every other session again.
export const sql = /* sql */ `
CREATE OR REPLACE FUNCTION earshot_auth_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_TABLE_NAME = 'sessions' THEN
    PERFORM pg_notify('earshot_auth', OLD.token_hash);
  ELSE
    PERFORM pg_notify('earshot_auth', 'user:' || OLD.id::text);
  END IF;
  RETURN NULL;
END
$$;
`;
