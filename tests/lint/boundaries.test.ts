// Proves the boundary rule refuses each forbidden import, and lets the allowed ones through.
import { ESLint } from 'eslint';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const eslint = new ESLint({ cwd: root });

async function boundaryErrors(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, file) });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'earshot/boundaries').map((m) => m.message);
}

describe('import boundaries', () => {
  it.each([
    ['shared/domain/x.ts', "import fs from 'node:fs';\nexport const a = fs;", /Node built-in/],
    ['shared/domain/x.ts', "import { q } from '../../main/services/q';\nexport const a = q;", /shared must not import/],
    ['shared/domain/x.ts', "import React from 'react';\nexport const a = React;", /package 'react'/],
    ['shared/domain/x.ts', 'export const w = window.location;', /DOM global `window`/],
    ['renderer/features/a.tsx', "import { s } from '../../main/services/index';\nexport const a = s;", /renderer must not import/],
    ['renderer/features/a.tsx', "import { c } from '../../server/src/index';\nexport const a = c;", /renderer must not import/],
    ['renderer/features/a.tsx', "import fs from 'fs';\nexport const a = fs;", /Node built-in/],
    ['main/services/sync/a.ts', "import { app } from 'electron';\nexport const a = app;", /'electron'/],
    ['main/db/a.ts', "const e = require('electron');\nexport const a = e;", /'electron'/],
    ['main/services/a.ts', "import { startCenter } from '../../server/src/index';\nexport const a = startCenter;", /main\/services must not import/],
    ['server/src/a.ts', "import { x } from '../../main/db/x';\nexport const a = x;", /server must not import/],
    ['server/src/a.ts', "export { r } from '../../renderer/api';", /server must not import/],
  ])('%s refuses %s', async (file, code, message) => {
    const errors = await boundaryErrors(file, code);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(message);
  });

  it.each([
    ['shared/domain/x.ts', "import { z } from 'zod';\nimport { toE164 } from './phone';\nexport const a = [z, toE164];"],
    ['renderer/features/a.tsx', "import { toE164 } from '../../shared/domain/phone';\nexport const a = toE164;"],
    ['main/services/a.ts', "import Database from 'better-sqlite3';\nimport { b } from '../db/b';\nexport const a = [Database, b];"],
    ['main/electron/a.ts', "import { app } from 'electron';\nimport { s } from '../services/index';\nexport const a = [app, s];"],
    ['server/src/a.ts', "import { Pool } from 'pg';\nimport { toE164 } from '../../shared/domain/phone';\nexport const a = [Pool, toE164];"],
  ])('%s allows its own imports', async (file, code) => {
    expect(await boundaryErrors(file, code)).toEqual([]);
  });
});

describe('SQL stays in main/db', () => {
  it.each([
    ['main/services/a.ts', "export const read = (db) => db.prepare('SELECT 1').get();", /main\/services must not run SQL \(`.prepare\(`\)/],
    ['main/services/sync/a.ts', 'export const wipe = (db) => db.exec(`DELETE FROM notes`);', /must not run SQL \(`.exec\(`\)/],
    ['main/services/a.ts', "export const mode = (db) => db.pragma('journal_mode');", /must not run SQL/],
    ['main/web-host/a.ts', "export const read = (store) => store.db.prepare('SELECT 1').get();", /main\/web-host must not run SQL/],
    ['main/electron/a.ts', "export const read = (db) => db.prepare('SELECT 1').get();", /main\/electron must not run SQL/],
  ])('%s refuses %s', async (file, code, message) => {
    const errors = await boundaryErrors(file, code);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(message);
  });

  it('lets main/db and the center run SQL, a test read rows, and a RegExp exec', async () => {
    expect(await boundaryErrors('main/db/a.ts', "export const read = (db) => db.prepare('SELECT 1').get();")).toEqual([]);
    expect(await boundaryErrors('server/src/db/a.ts', "export const read = (db) => db.prepare('SELECT 1');")).toEqual([]);
    expect(await boundaryErrors('main/services/a.test.ts', "export const read = (db) => db.prepare('SELECT 1').get();")).toEqual([]);
    expect(await boundaryErrors('main/services/a.ts', "export const m = /^(\\w+)=(.*)$/.exec('select=1');")).toEqual([]);
    expect(await boundaryErrors('main/services/a.ts', "export const m = /^select (.*)$/.exec('select everything');")).toEqual([]);
    expect(await boundaryErrors('main/services/a.ts', "const LINE = /^(\\w+)=(.*)$/;\nexport const m = LINE.exec('delete=yes');")).toEqual([]);
  });
});

describe('tests beside their module', () => {
  it('may use the shared test harnesses, and nothing else across layers', async () => {
    expect(await boundaryErrors('server/src/sync/a.test.ts', "import { pg } from '../../../tests/support/postgres';\nexport const a = pg;")).toEqual([]);
    expect(await boundaryErrors('server/src/sync/a.ts', "import { pg } from '../../../tests/support/postgres';\nexport const a = pg;")).toHaveLength(1);
    expect(await boundaryErrors('server/src/sync/a.test.ts', "import { d } from '../../../main/db/x';\nexport const a = d;")).toHaveLength(1);
  });

  it('in shared/, may use the test runner, and still no other package', async () => {
    expect(await boundaryErrors('shared/domain/x.test.ts', "import { it } from 'vitest';\nexport const a = it;")).toEqual([]);
    expect(await boundaryErrors('shared/domain/x.ts', "import { it } from 'vitest';\nexport const a = it;")).toHaveLength(1);
    expect(await boundaryErrors('shared/domain/x.test.ts', "import React from 'react';\nexport const a = React;")).toHaveLength(1);
  });
});
