// How `npm run dist` signs what it builds, from the build machine's environment (never from files in
// the repository): which electron-builder settings to add, and what is missing. Signed installers are
// what lets an installed Earshot refuse an update that is not from its publisher.
//
// Windows: the certificate from WIN_CSC_LINK (or CSC_LINK; a .pfx path, https URL or base64) and
//   WIN_CSC_KEY_PASSWORD (or CSC_KEY_PASSWORD); EARSHOT_WIN_PUBLISHER, the publisher name exactly as
//   in the certificate, when it cannot be read from the certificate (an EV token, a signing service).
// macOS: the Developer ID certificate from CSC_LINK / CSC_KEY_PASSWORD or CSC_NAME (in the keychain),
//   notarised with APPLE_API_KEY, APPLE_API_KEY_ID and APPLE_API_ISSUER (or APPLE_ID,
//   APPLE_APP_SPECIFIC_PASSWORD and APPLE_TEAM_ID).
// Linux packages are signed by the repository that serves them (apt, dnf); nothing here.
// `--unsigned` builds a test installer: on Windows it names a publisher no update is signed by, so it
// refuses every update; on macOS it is not signed nor notarised.

/** Which platforms an electron-builder command line builds for (none named: this machine's). */
export function targetsOf(argv, platform = process.platform) {
  const named = [['--win', 'win'], ['-w', 'win'], ['--mac', 'mac'], ['-m', 'mac'], ['--linux', 'linux'], ['-l', 'linux']].filter(([flag]) => argv.includes(flag)).map(([, t]) => t);
  if (named.length > 0) return [...new Set(named)];
  return [platform === 'win32' ? 'win' : platform === 'darwin' ? 'mac' : 'linux'];
}

/** @returns {{ problems: string[], args: string[], env: Record<string, string> }} */
export function signingPlan({ targets, env, unsigned = false }) {
  const problems = [];
  const args = [];
  const extraEnv = {};
  if (targets.includes('win')) {
    const cert = env.WIN_CSC_LINK || env.CSC_LINK;
    const publisher = env.EARSHOT_WIN_PUBLISHER;
    if (unsigned) {
      args.push('-c.win.signtoolOptions.publisherName=Unsigned Earshot test build (accepts no update)');
    } else if (!cert && !publisher) {
      problems.push(
        'Windows installers must be signed: set WIN_CSC_LINK (the .pfx: a path, an https URL or base64) and WIN_CSC_KEY_PASSWORD, and EARSHOT_WIN_PUBLISHER if the publisher name cannot be read from the certificate; or build a test installer with --unsigned.',
      );
    } else if (publisher) {
      args.push(`-c.win.signtoolOptions.publisherName=${publisher}`);
    }
  }
  if (targets.includes('mac')) {
    if (unsigned) {
      extraEnv.CSC_IDENTITY_AUTO_DISCOVERY = 'false';
      args.push('-c.mac.notarize=false');
    } else {
      if (!env.CSC_LINK && !env.CSC_NAME) problems.push('macOS builds must be signed: set CSC_LINK and CSC_KEY_PASSWORD (a Developer ID Application certificate) or CSC_NAME; or build a test with --unsigned.');
      const notary = (env.APPLE_API_KEY && env.APPLE_API_KEY_ID && env.APPLE_API_ISSUER) || (env.APPLE_ID && env.APPLE_APP_SPECIFIC_PASSWORD && env.APPLE_TEAM_ID);
      if (!notary) problems.push('macOS builds must be notarised: set APPLE_API_KEY, APPLE_API_KEY_ID and APPLE_API_ISSUER (or APPLE_ID, APPLE_APP_SPECIFIC_PASSWORD and APPLE_TEAM_ID); or build a test with --unsigned.');
    }
  }
  return { problems, args, env: extraEnv };
}
