// The shape of one numbered migration of the desktop's database.
export interface Migration {
  /** Strictly increasing, matching the file's number. */
  id: number;
  name: string;
  sql: string;
}
