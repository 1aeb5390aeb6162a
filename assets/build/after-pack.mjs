// electron-builder afterPack hook: rebuilds better-sqlite3 for Electron INSIDE the packaged app
// (resources/app.asar.unpacked), never in the project's node_modules, which stay built for Node
// (tests, web mode). electron-builder.yml sets npmRebuild: false so nothing rebuilds in place.
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

// electron-builder's Arch enum, by index.
const ARCH_NAMES = ['ia32', 'x64', 'armv7l', 'arm64', 'universal'];

export default async function afterPack(context) {
  const { appOutDir, electronPlatformName, packager } = context;
  const resources =
    electronPlatformName === 'darwin' || electronPlatformName === 'mas'
      ? path.join(appOutDir, `${packager.appInfo.productFilename}.app`, 'Contents', 'Resources')
      : path.join(appOutDir, 'resources');
  const unpacked = path.join(resources, 'app.asar.unpacked');
  if (!existsSync(path.join(unpacked, 'node_modules', 'better-sqlite3'))) {
    throw new Error(`better-sqlite3 is not in ${unpacked}: check asarUnpack in electron-builder.yml.`);
  }
  const electronVersion = packager.config.electronVersion ?? JSON.parse(readFileSync(path.join(packager.projectDir, 'node_modules/electron/package.json'), 'utf8')).version;
  const { rebuild } = await import('@electron/rebuild');
  // @electron/rebuild finds modules through a package.json at its build path; this one lives only
  // for the rebuild and is removed so nothing but the module itself ships in app.asar.unpacked.
  const manifest = path.join(unpacked, 'package.json');
  writeFileSync(manifest, JSON.stringify({ name: 'earshot-native', private: true, dependencies: { 'better-sqlite3': '*' } }));
  try {
    await rebuildNative(rebuild, { unpacked, electronVersion, context, electronPlatformName });
  } finally {
    rmSync(manifest, { force: true });
  }
  console.log(`  • rebuilt better-sqlite3 for Electron ${electronVersion} in ${path.relative(packager.projectDir, unpacked)}`);
}

async function rebuildNative(rebuild, { unpacked, electronVersion, context, electronPlatformName }) {
  await rebuild({
    buildPath: unpacked,
    projectRootPath: unpacked,
    electronVersion,
    arch: ARCH_NAMES[context.arch] ?? process.arch,
    platform: electronPlatformName,
    onlyModules: ['better-sqlite3'],
    force: true,
    mode: 'sequential',
  });
}
