/**
 * A second C# runtime as a test oracle: Debian's Mono (`mcs` compiles C# 6, `mono` runs it).
 * Expected values of policy expressions are computed by a real C# compiler and runtime instead
 * of by Gatehouse's own interpreter. Mono follows .NET Framework where it differs from .NET
 * (e.g. `Math.Round(2.5)`), so only use it for members whose behaviour the two share; .NET's
 * documentation decides otherwise.
 *
 * `.ci/run` installs Mono (mono-mcs, mono-runtime). Elsewhere a test that needs it skips with
 * `csharpOracleMissing` as its reason, and under `CI=true` a missing Mono fails instead.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function onPath(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

/** False, or the reason a test skips, when Mono is not installed (never skipped under CI=true). */
export const csharpOracleMissing: false | string = (() => {
  if (onPath('mcs') && onPath('mono')) return false;
  if (process.env.CI === 'true') throw new Error('the C# oracle needs Mono (apt-get install mono-mcs mono-runtime); .ci/run installs it');
  return 'Mono is not installed (apt-get install mono-mcs mono-runtime)';
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
