// The import-cycle check (tools/import-cycles.mjs, a tier of `npm test`) refuses a planted cycle —
// through three modules, through a type-only import, across folders — and passes a tree without one.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findImportCycles } from '../../tools/import-cycles.mjs';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function tree(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'earshot-cycles-'));
  dirs.push(dir);
  for (const [file, code] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), code);
  }
  return dir;
}

describe('import cycles', () => {
  it('refuses a cycle through three modules of two folders', async () => {
    const dir = tree({
      'server/src/floor/floor.ts': "import { send } from '../io/socket';\nexport const floor = () => send();\n",
      'server/src/io/socket.ts': "import { log } from './log';\nexport const send = () => log();\n",
      'server/src/io/log.ts': "import { floor } from '../floor/floor';\nexport const log = () => floor;\n",
      'server/src/other.ts': "import { send } from './io/socket';\nexport const other = send;\n",
    });
    const cycles = await findImportCycles(['server/src/**/*.ts'], dir);
    expect(cycles).toHaveLength(1);
    expect([...cycles[0]!].sort()).toEqual(['server/src/floor/floor.ts', 'server/src/io/log.ts', 'server/src/io/socket.ts']);
  });

  it('refuses a cycle closed by a type-only import, in .tsx too', async () => {
    const dir = tree({
      'renderer/a.tsx': "import { B } from './b';\nexport const A = () => <B />;\n",
      'renderer/b.tsx': "import type { Props } from './a-props';\nexport const B = (p: Partial<Props>) => <i>{String(p)}</i>;\n",
      'renderer/a-props.ts': "import type { A } from './a';\nexport type Props = { a: typeof A };\n",
    });
    expect(await findImportCycles(['renderer/**/*.{ts,tsx}'], dir)).toHaveLength(1);
  });

  it('passes a tree whose imports all point one way', async () => {
    const dir = tree({
      'server/src/base/log.ts': 'export const log = () => undefined;\n',
      'server/src/io/socket.ts': "import { log } from '../base/log';\nexport const send = () => log();\n",
      'server/src/floor/floor.ts': "import { log } from '../base/log';\nimport type { send } from '../io/socket';\nexport const floor = (s: typeof send) => [s, log];\n",
    });
    expect(await findImportCycles(['server/src/**/*.ts'], dir)).toEqual([]);
  });
});
