/**
 * A second C# runtime as a test oracle: Debian's Mono (`mcs` compiles C# 6, `mono` runs it).
 * Expected values of policy expressions are computed by a real C# compiler and runtime instead
 * of by Gatehouse's own interpreter. Mono follows .NET Framework where it differs from .NET
 * (e.g. `Math.Round(2.5)`), so only use it for members whose behaviour the two share; .NET's
 * documentation decides otherwise.
 *
 * `.ci/run` installs Mono (mono-mcs, mono-runtime, libmono-system-xml-linq4.0-cil). Elsewhere a test that needs it skips with
 * `csharpOracleMissing` as its reason, and under `CI=true` a missing Mono fails instead.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function onPath(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

/** False, or the reason a test skips, when Mono is not installed (never skipped under CI=true). */
export const csharpOracleMissing: false | string = (() => {
  if (onPath('mcs') && onPath('mono') && existsSync('/usr/lib/mono/4.5/System.Xml.Linq.dll')) return false;
  const packages = 'mono-mcs mono-runtime libmono-system-xml-linq4.0-cil';
  if (process.env.CI === 'true') throw new Error(`the C# oracle needs Mono (apt-get install ${packages}); .ci/run installs it`);
  return `Mono is not installed (apt-get install ${packages})`;
})();

/** The outcome of compiling a C# program. */
export interface CsharpCompilation {
  ok: boolean;
  /** The compiler's diagnostics. */
  output: string;
}

function withProgram<T>(source: string, use: (dir: string, compiled: CsharpCompilation) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-csharp-'));
  try {
    writeFileSync(join(dir, 'Program.cs'), source);
    const run = spawnSync('mcs', ['-nologo', '-r:System.Numerics.dll', '-out:' + join(dir, 'program.exe'), join(dir, 'Program.cs')], { encoding: 'utf8' });
    return use(dir, { ok: run.status === 0, output: `${run.stdout}${run.stderr}` });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Compiles a whole program (nothing runs). */
export function compileCsharp(source: string): CsharpCompilation {
  return withProgram(source, (_dir, compiled) => compiled);
}

/**
 * Evaluates each C# expression in a fresh program and returns `Convert.ToString(value,
 * CultureInfo.InvariantCulture)` of each, in order. `declarations` go into the class (helper
 * methods, fields). Throws with the compiler's words when the program does not compile.
 */
export function evaluateCsharp(expressions: readonly string[], declarations = ''): string[] {
  const lines = expressions.map((e) => `    Console.WriteLine(Escape(Convert.ToString(${e}, CultureInfo.InvariantCulture)));`);
  const source = [
    'using System;',
    'using System.Collections.Generic;',
    'using System.Globalization;',
    'using System.Linq;',
    'using System.Text;',
    'static class Program {',
    '  static string Escape(string s) { return s == null ? "<null>" : s.Replace("\\\\", "\\\\\\\\").Replace("\\n", "\\\\n"); }',
    declarations,
    '  static void Main() {',
    '    Console.OutputEncoding = new UTF8Encoding(false);',
    ...lines,
    '  }',
    '}',
  ].join('\n');
  return withProgram(source, (dir, compiled) => {
    if (!compiled.ok) throw new Error(`mcs refused the oracle program:\n${compiled.output}\n${source}`);
    const out = execFileSync('mono', [join(dir, 'program.exe')], { encoding: 'utf8' });
    const values = out.split('\n').slice(0, expressions.length);
    return values.map((v) => v.replace(/\\(\\|n)/g, (_m, c: string) => (c === 'n' ? '\n' : '\\')));
  });
}

/** One case of a batch: the body of a method returning `object` (`return …;` statements). */
export interface CsharpCase {
  body: string;
}

/** What Mono made of one case of a batch. */
export type CsharpOutcome =
  | { kind: 'value'; type: string; text: string }
  | { kind: 'null' }
  | { kind: 'threw'; type: string; message: string }
  /** mcs refused the case (a C# 7+ feature, a member Mono lacks), or Mono did not finish it: left out. */
  | { kind: 'not-compiled'; diagnostic: string };

const batchUsings = [
  'System', 'System.Collections.Generic', 'System.Globalization', 'System.Linq', 'System.Net', 'System.Numerics',
  'System.Security.Cryptography', 'System.Security.Cryptography.X509Certificates', 'System.Text',
  'System.Text.RegularExpressions', 'System.Xml', 'System.Xml.Linq', 'System.Xml.XPath',
];
const batchReferences = ['System.Numerics.dll', 'System.Xml.dll', 'System.Xml.Linq.dll', 'System.Core.dll', 'System.Security.dll'];

/** The program running `cases` (by index) under the invariant culture, printing one line per case. */
function batchProgram(cases: ReadonlyMap<number, CsharpCase>): { source: string; caseOfLine: Map<number, number> } {
  const lines = [
    ...batchUsings.map((u) => `using ${u};`),
    'static class Program {',
    '  static string Escape(string s) { return s == null ? "" : s.Replace("\\\\", "\\\\\\\\").Replace("\\r", "\\\\r").Replace("\\n", "\\\\n").Replace("\\t", "\\\\t"); }',
  ];
  const caseOfLine = new Map<number, number>();
  for (const [index, c] of cases) {
    const first = lines.length + 1;
    lines.push(`  static object Case${index}() {`, ...c.body.split('\n').map((l) => `    ${l}`), '  }');
    for (let line = first; line <= lines.length; line++) caseOfLine.set(line, index);
  }
  lines.push(
    '  static void Run(int index, Func<object> run) {',
    '    try {',
    '      var v = run();',
    '      if (v == null) Console.WriteLine(index + "\\tnull");',
    '      else Console.WriteLine(index + "\\tvalue\\t" + v.GetType().FullName + "\\t" + Escape(Convert.ToString(v, CultureInfo.InvariantCulture)));',
    '    } catch (Exception e) {',
    '      Console.WriteLine(index + "\\tthrew\\t" + e.GetType().FullName + "\\t" + Escape(e.Message));',
    '    }',
    '  }',
    '  static void Main() {',
    '    Console.OutputEncoding = new UTF8Encoding(false);',
    '    System.Threading.Thread.CurrentThread.CurrentCulture = CultureInfo.InvariantCulture;',
    ...[...cases.keys()].map((index) => `    Run(${index}, Case${index});`),
    '  }',
    '}',
  );
  return { source: lines.join('\n'), caseOfLine };
}

const unescape = (text: string) => text.replace(/\\([\\rnt])/g, (_m, c: string) => ({ r: '\r', n: '\n', t: '\t', '\\': '\\' })[c]!);

/**
 * Compiles all `cases` into one program with mcs and runs it once on Mono. A case mcs refuses is
 * left out (its diagnostic kept) and the rest compiled again, so one C# 7 feature costs only its
 * own case.
 */
export function runCsharpCases(cases: readonly CsharpCase[]): CsharpOutcome[] {
  const outcomes: CsharpOutcome[] = cases.map(() => ({ kind: 'not-compiled', diagnostic: 'not run' }));
  const remaining = new Map(cases.map((c, i) => [i, c] as const));
  for (let round = 0; round < 50 && remaining.size > 0; round++) {
    const { source, caseOfLine } = batchProgram(remaining);
    const dir = mkdtempSync(join(tmpdir(), 'gatehouse-csharp-'));
    try {
      writeFileSync(join(dir, 'Program.cs'), source);
      const exe = join(dir, 'program.exe');
      const compiled = spawnSync('mcs', ['-nologo', '-langversion:experimental', ...batchReferences.map((r) => `-r:${r}`), `-out:${exe}`, join(dir, 'Program.cs')], { encoding: 'utf8' });
      if (compiled.status !== 0) {
        const refused = new Map<number, string>();
        for (const m of `${compiled.stdout}${compiled.stderr}`.matchAll(/Program\.cs\((\d+),\d+\): error (.*)/g)) {
          const index = caseOfLine.get(Number(m[1]));
          if (index === undefined) throw new Error(`mcs refused the batch program outside any case: ${m[0]}`);
          if (!refused.has(index)) refused.set(index, m[2]!);
        }
        if (refused.size === 0) throw new Error(`mcs failed without a located error:\n${compiled.stdout}${compiled.stderr}`);
        for (const [index, diagnostic] of refused) {
          outcomes[index] = { kind: 'not-compiled', diagnostic };
          remaining.delete(index);
        }
        continue;
      }
      const run = spawnSync('mono', [exe], { encoding: 'utf8', timeout: 60_000, maxBuffer: 64 * 1024 * 1024 });
      const printed = new Set<number>();
      for (const line of run.stdout.split('\n')) {
        if (line === '') continue;
        const [index, kind, a = '', b = ''] = line.split('\t');
        const i = Number(index);
        printed.add(i);
        if (kind === 'null') outcomes[i] = { kind: 'null' };
        else if (kind === 'value') outcomes[i] = { kind: 'value', type: a, text: unescape(b) };
        else outcomes[i] = { kind: 'threw', type: a, message: unescape(b) };
      }
      if (run.status === 0) return outcomes;
      // Killed by the time limit (or crashed): the first case that printed nothing is left out,
      // and the rest are run again.
      const stuck = [...remaining.keys()].find((index) => !printed.has(index));
      if (stuck === undefined) throw new Error(`mono failed after printing every case: ${run.stderr}`);
      outcomes[stuck] = { kind: 'not-compiled', diagnostic: `did not finish on Mono (${run.signal ?? `exit ${run.status}`})` };
      for (const index of printed) remaining.delete(index);
      remaining.delete(stuck);
      continue;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return outcomes;
}
