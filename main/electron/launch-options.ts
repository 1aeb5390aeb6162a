// What a launch may be told from outside the app: in development (the demo launcher, tests) the data
// folder (--data-dir), the center (--center-url, EARSHOT_CENTER_URL) and an automatic sign-in
// (EARSHOT_SIGNIN=tenant:user:password). A packaged build takes none of them — anyone able to start
// the app with arguments could otherwise point it at another center, read another profile's data or
// sign in as someone — and the center comes from policy or the installer, the data from the OS's own
// per-user folder. Pure, so it is tested without Electron.

export interface LaunchOverrides {
  dataDir?: string;
  centerUrl?: string;
  signIn?: { tenant: string; username: string; password: string };
  /** What was given but refused (a packaged build): named in the log, values never. */
  ignored: string[];
}

function parseSignIn(value: string | undefined): LaunchOverrides['signIn'] {
  if (!value) return undefined;
  const [tenant, username, ...password] = value.split(':');
  return tenant && username && password.length ? { tenant, username, password: password.join(':') } : undefined;
}

export function launchOverrides(opts: {
  packaged: boolean;
  cli: { 'data-dir'?: unknown; 'center-url'?: unknown };
  env: Record<string, string | undefined>;
}): LaunchOverrides {
  const given = {
    dataDir: typeof opts.cli['data-dir'] === 'string' ? opts.cli['data-dir'] : undefined,
    centerUrl: (typeof opts.cli['center-url'] === 'string' ? opts.cli['center-url'] : undefined) ?? opts.env.EARSHOT_CENTER_URL,
    signIn: opts.env.EARSHOT_SIGNIN,
  };
  if (!opts.packaged) return { dataDir: given.dataDir, centerUrl: given.centerUrl, signIn: parseSignIn(given.signIn), ignored: [] };
  const ignored = [
    given.dataDir !== undefined ? '--data-dir' : null,
    given.centerUrl !== undefined ? '--center-url / EARSHOT_CENTER_URL' : null,
    given.signIn !== undefined ? 'EARSHOT_SIGNIN' : null,
  ].filter((x): x is string => x !== null);
  return { ignored };
}
