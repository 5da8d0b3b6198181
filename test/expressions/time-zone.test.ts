import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { compileExpression } from '../../src/expressions/index.js';
import { display } from '../../src/expressions/runtime/display.js';
import { windowsZones } from '../../src/expressions/runtime/time-zone.js';
import { fixtureContext } from './fixture-context.js';

const instants = ['2024-01-15T12:00:00Z', '2024-07-01T12:00:00Z'];

/**
 * Windows id → IANA zone as the Unicode CLDR publishes it (supplemental/windowsZones.json, the
 * territory "001" row: the zone Windows means by the id). Independent of src's own table.
 */
function cldrWindowsZones(): Map<string, string> {
  const path = createRequire(import.meta.url).resolve('cldr-core/supplemental/windowsZones.json');
  const data = JSON.parse(readFileSync(path, 'utf8')) as {
    supplemental: { windowsZones: { mapTimezones: { mapZone: { _other: string; _type: string; _territory: string } }[] } };
  };
  const out = new Map<string, string>();
  for (const { mapZone } of data.supplemental.windowsZones.mapTimezones) {
    if (mapZone._territory === '001') out.set(mapZone._other, mapZone._type.split(' ')[0]!);
  }
  return out;
}

/** Offsets (`+0530`) from the system's tzdata through date(1): an oracle independent of Intl/ICU. */
function systemOffsets(zones: string[]): Map<string, string[]> {
  const script = zones.flatMap((z) => instants.map((t) => `TZ='${z}' date -d '${t}' +%z`)).join('; ');
  const lines = execFileSync('sh', ['-c', script], { encoding: 'utf8' }).trim().split('\n');
  return new Map(zones.map((z, i) => [z, lines.slice(i * instants.length, (i + 1) * instants.length)]));
}

/** `+05:30:00`/`-08:00:00` (TimeSpan text) → `+0530`/`-0800` (date's %z). */
function asZ(span: string): string {
  const neg = span.startsWith('-');
  const [h, m] = span.replace('-', '').split(':');
  return `${neg ? '-' : '+'}${h}${m}`;
}

describe('TimeZoneInfo Windows ids', () => {
  it('maps at least 30 common Windows ids', () => {
    assert.ok(Object.keys(windowsZones).length >= 30);
    for (const id of ['W. Europe Standard Time', 'Eastern Standard Time', 'Pacific Standard Time', 'UTC', 'GMT Standard Time', 'India Standard Time', 'China Standard Time', 'Tokyo Standard Time', 'AUS Eastern Standard Time']) {
      assert.ok(id in windowsZones, id);
    }
  });

  it("gives, for every mapped Windows id, the system tzdata's offsets of the zone CLDR maps it to", { skip: !existsSync('/usr/share/zoneinfo/Europe/Berlin') && 'no system tzdata' }, () => {
    const cldr = cldrWindowsZones();
    const ids = Object.keys(windowsZones);
    const unknown = ids.filter((id) => !cldr.has(id));
    assert.deepEqual(unknown, [], 'Windows ids that CLDR does not know');
    const expected = systemOffsets(ids.map((id) => cldr.get(id)!));
    for (const id of ids) {
      const source = `@{ var z = TimeZoneInfo.FindSystemTimeZoneById("${id}"); return ${instants.map((t) => `z.GetUtcOffset(DateTimeOffset.Parse("${t}"))`).join(' + "," + ')}; }`;
      const got = display(compileExpression(source).evaluate(fixtureContext())).split(',').map(asZ);
      assert.deepEqual(got, expected.get(cldr.get(id)!), `${id} (CLDR: ${cldr.get(id)})`);
    }
  });
});
