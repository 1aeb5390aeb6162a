// IT's templates in assets/policy/ must say what the policy reader understands: the ADMX/ADML pair
// for Windows Group Policy and the example JSON for Linux, checked against the settings schema.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readWindowsPolicy } from './policy';
import { POLICY_KEYS, parseSettingValues, settingSchemas, type SettingKey } from './schema';

const dir = path.resolve(import.meta.dirname, '../../../assets/policy');
const admx = readFileSync(path.join(dir, 'earshot.admx'), 'utf8');
const adml = readFileSync(path.join(dir, 'en-US/earshot.adml'), 'utf8');
const all = (re: RegExp, text: string) => [...text.matchAll(re)].map((m) => m[1]!);

describe('policy templates', () => {
  it('the ADMX offers exactly the keys the reader accepts, under the key it reads', () => {
    expect(new Set(all(/valueName="([^"]+)"/g, admx))).toEqual(new Set(POLICY_KEYS));
    expect(new Set(all(/key="([^"]+)"/g, admx))).toEqual(new Set(['SOFTWARE\\Policies\\Earshot\\Desktop']));
  });

  it('every string and presentation the ADMX names exists in the en-US ADML', () => {
    const strings = new Set(all(/<string id="([^"]+)"/g, adml));
    const presentations = new Set(all(/<presentation id="([^"]+)"/g, adml));
    for (const id of all(/\$\(string\.([^)]+)\)/g, admx)) expect(strings, id).toContain(id);
    for (const id of all(/\$\(presentation\.([^)]+)\)/g, admx)) expect(presentations, id).toContain(id);
  });

  it('every dropdown value and number range is valid for its setting', () => {
    for (const block of admx.split('<policy ').slice(1)) {
      const enumMatch = /<enum id="[^"]+" valueName="([^"]+)"/.exec(block);
      if (enumMatch) {
        const key = enumMatch[1] as SettingKey;
        for (const value of all(/<string>([^<]+)<\/string>/g, block)) expect(settingSchemas[key].safeParse(value).success, `${key}=${value}`).toBe(true);
      }
      const decimal = /<decimal id="[^"]+" valueName="([^"]+)" required="true" minValue="(\d+)" maxValue="(\d+)"/.exec(block);
      if (decimal) {
        const [, key, min, max] = decimal as unknown as [string, SettingKey, string, string];
        expect(settingSchemas[key].safeParse(Number(min)).success).toBe(true);
        expect(settingSchemas[key].safeParse(Number(max)).success).toBe(true);
        expect(settingSchemas[key].safeParse(Number(min) - 1).success).toBe(false);
        expect(settingSchemas[key].safeParse(Number(max) + 1).success).toBe(false);
      }
    }
  });

  it('what Group Policy writes for the boolean (DWORD 1/0) is read as true/false', async () => {
    const run = async () => ({ code: 0, stdout: 'HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Earshot\\Desktop\n    callNotifications    REG_DWORD    0x1\n' });
    expect((await readWindowsPolicy(run)).values).toEqual({ callNotifications: true });
  });

  it('policy.example.json is accepted whole', () => {
    const example = JSON.parse(readFileSync(path.join(dir, 'policy.example.json'), 'utf8')) as Record<string, unknown>;
    const { values, problems } = parseSettingValues(example, POLICY_KEYS, 'example');
    expect(problems).toEqual([]);
    expect(Object.keys(values).sort()).toEqual(Object.keys(example).sort());
  });
});
