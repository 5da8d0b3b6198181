/**
 * Reads a Dockerfile's text into its build stages and instructions, simply: enough for the
 * deployment-files test to check what deploy/Dockerfile copies, sets and runs without a Docker
 * engine. Continuation lines are joined and comments dropped, as Docker does; heredocs and
 * parser directives are not understood (the file does not use them).
 */
import { posix } from 'node:path';

/** One instruction: `COPY --from=build /app/dist ./dist` is keyword COPY with its argument text. */
export interface DockerInstruction {
  keyword: string;
  /** The text after the keyword, continuation lines joined with a space. */
  args: string;
  /** 1-based line where the instruction starts. */
  line: number;
}

/** A COPY: its flags (`from`, `chown` …), sources as written and destination resolved against WORKDIR. */
export interface DockerCopy {
  flags: Record<string, string>;
  sources: string[];
  destination: string;
  /** The destination is a folder that files land in by their names (`./`, or several sources). */
  intoFolder: boolean;
  line: number;
}

/** A stage: from `FROM base [AS name]` to the next FROM. */
export interface DockerStage {
  base: string;
  name?: string;
  instructions: DockerInstruction[];
  copies: DockerCopy[];
  /** The ENV variables the stage sets, in order (later wins). */
  env: Map<string, string>;
  /** The WORKDIR after the last instruction (`/` when none). */
  workdir: string;
}

/** The instructions of a Dockerfile's text, continuation lines joined, comments left out. */
export function dockerInstructions(text: string): DockerInstruction[] {
  const out: DockerInstruction[] = [];
  let pending: { parts: string[]; line: number } | null = null;
  for (const [index, raw] of text.split('\n').entries()) {
    const trimmed = raw.trim();
    // Comment and blank lines are skipped even inside a continued instruction, as Docker does.
    if (trimmed.startsWith('#') || trimmed === '') continue;
    const continues = trimmed.endsWith('\\');
    const part = continues ? trimmed.slice(0, -1).trim() : trimmed;
    pending ??= { parts: [], line: index + 1 };
    if (part !== '') pending.parts.push(part);
    if (continues) continue;
    const m = /^(\S+)\s*([\s\S]*)$/.exec(pending.parts.join(' '));
    if (m) out.push({ keyword: m[1]!.toUpperCase(), args: m[2]!, line: pending.line });
    pending = null;
  }
  if (pending !== null) throw new Error(`the instruction at line ${pending.line} ends with a continuation and nothing after it`);
  return out;
}

/** The stages of a Dockerfile's text. */
export function dockerStages(text: string): DockerStage[] {
  const stages: DockerStage[] = [];
  for (const instruction of dockerInstructions(text)) {
    if (instruction.keyword === 'FROM') {
      const m = /^(?:--\S+\s+)*(\S+)(?:\s+AS\s+(\S+))?$/i.exec(instruction.args);
      if (!m) throw new Error(`line ${instruction.line}: cannot read FROM ${instruction.args}`);
      stages.push({ base: m[1]!, ...(m[2] ? { name: m[2] } : {}), instructions: [], copies: [], env: new Map(), workdir: '/' });
      continue;
    }
    const stage = stages.at(-1);
    if (!stage) throw new Error(`line ${instruction.line}: ${instruction.keyword} before the first FROM`);
    stage.instructions.push(instruction);
    if (instruction.keyword === 'WORKDIR') stage.workdir = posix.resolve(stage.workdir, instruction.args.trim());
    if (instruction.keyword === 'ENV') for (const [name, value] of envPairs(instruction)) stage.env.set(name, value);
    if (instruction.keyword === 'COPY') stage.copies.push(copyOf(instruction, stage.workdir));
  }
  return stages;
}

/** An instruction's exec form (`["node", "x.js"]`); undefined for the shell form. */
export function execForm(instruction: DockerInstruction): string[] | undefined {
  if (!instruction.args.trimStart().startsWith('[')) return undefined;
  const parsed: unknown = JSON.parse(instruction.args);
  if (!Array.isArray(parsed) || !parsed.every((item) => typeof item === 'string')) {
    throw new Error(`line ${instruction.line}: ${instruction.keyword}'s exec form must be a JSON array of strings`);
  }
  return parsed;
}

/** Splits on blanks, keeping double-quoted runs together (the quotes removed). */
function words(text: string): string[] {
  return [...text.matchAll(/(?:[^\s"]+|"[^"]*")+/g)].map((m) => m[0].replace(/"/g, ''));
}

/** `ENV A=1 B="two words"`; the old `ENV A 1` form is refused (Docker discourages it). */
function envPairs(instruction: DockerInstruction): Array<[string, string]> {
  return words(instruction.args).map((word) => {
    const eq = word.indexOf('=');
    if (eq <= 0) throw new Error(`line ${instruction.line}: ENV ${instruction.args}: write NAME=VALUE`);
    return [word.slice(0, eq), word.slice(eq + 1)];
  });
}

function copyOf(instruction: DockerInstruction, workdir: string): DockerCopy {
  const all = words(instruction.args);
  const flags: Record<string, string> = {};
  while (all[0]?.startsWith('--')) {
    const [name, value = ''] = all.shift()!.slice(2).split('=', 2);
    flags[name!] = value;
  }
  if (all.length < 2) throw new Error(`line ${instruction.line}: COPY needs a source and a destination`);
  const destination = all.pop()!;
  const intoFolder = all.length > 1 || destination.endsWith('/') || destination === '.';
  return { flags, sources: all, destination: posix.resolve(workdir, destination), intoFolder, line: instruction.line };
}
