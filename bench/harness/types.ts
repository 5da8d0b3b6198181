/**
 * The harness's shared shapes: an arm (something that answers HTTP in front of the backend), a
 * case (a measurement run over the arms), the samples cases record and the figures they report.
 */

/** The fixed response sizes the backend serves, by label. */
export interface ResponseSize {
  /** Short label used in tables and JSON: `0B`, `1KB`, `64KB`. */
  label: string;
  bytes: number;
}

/** What a request to an arm must carry and what its answers must show (checked before measuring). */
export interface ArmTraffic {
  /** Base URL, e.g. `http://127.0.0.1:41234`. */
  baseUrl: string;
  /** The request path for one response size (the backend always sees `/size/<bytes>`). */
  pathFor(size: ResponseSize): string;
  /** Headers every request sends (a subscription key, for instance). */
  headers: Record<string, string>;
  /** What the preflight checks: the arm's policy work is really done (see bench/README.md). */
  expects: {
    /** The backend must see the inbound header the arm sets. */
    inboundHeader: boolean;
    /** The client must see the outbound header the arm sets. */
    outboundHeader: boolean;
    /** A request without `headers` must be refused with 401 or 403. */
    keyRequired: boolean;
    /** Once asked, every size must be answered from the gateway's cache (no `x-bench-fresh` header). */
    servedFromCache?: boolean;
  };
}

/** A started arm. */
export interface RunningArm extends ArmTraffic {
  stop(): Promise<void>;
}

/** Everything an arm may need to start. */
export interface ArmStartContext {
  /** The backend's base URL (`http://127.0.0.1:N`). */
  backendUrl: string;
  /** A fresh temporary folder owned by this arm. */
  workDir: string;
  /** The repository root. */
  root: string;
  /** May the harness install what the arm needs (apt-get, npm)? */
  install: boolean;
  log(line: string): void;
}

/** One arm of the comparison; registered in bench/arms/index.ts. */
export interface Arm {
  /** Stable id used on the command line (`--arms`) and in JSON. */
  id: string;
  /** Human label for tables. */
  label: string;
  /** One line: what runs and how it is configured (printed under the table). */
  description: string;
  /** Work the arm's own configuration cannot do, printed with the table (e.g. "access log: not built yet"). */
  notes?: string[];
  /**
   * Whether everything the arm needs is present without installing (used by the test to decide
   * whether it may skip the arm outside CI). Omitted = always available.
   */
  available?(root: string): boolean;
  start(ctx: ArmStartContext): Promise<RunningArm>;
}

/** One measurement. */
export interface Sample {
  case: string;
  arm: string;
  /** Size label, or '' when the case has no size dimension. */
  size: string;
  round: number;
  /** e.g. `rps`, `p50_ms`, `p99_ms`. */
  metric: string;
  value: number;
  /** Failed requests seen while measuring (non-2xx, socket errors, timeouts). */
  errors: number;
}

/** One row of the targets table. */
export interface Figure {
  /** The figure's name, as in the Targets table. */
  name: string;
  /** The target as text (`>= 0.95`, `<= 0.3 ms`). */
  target: string;
  /** The measured value (median-based), or null when the arms it needs were not run. */
  measured: number | null;
  /** Unit for display (`''` for ratios, `ms`). */
  unit: string;
  /** Spread of the measured figure (min..max over rounds), when it has one. */
  range?: [number, number];
  met: boolean | null;
  /** Why there is no number, or a remark shown beside it. */
  note?: string;
}

/** Options every case reads (parsed from the command line). */
export interface HarnessOptions {
  quick: boolean;
  rounds: number;
  /** Seconds per closed-loop measurement. */
  duration: number;
  /** Seconds of warm-up per arm (cycling through the sizes) before round 1. */
  warmup: number;
  connections: number;
  threads: number;
  /** Seconds per open-loop latency measurement. */
  latencyDuration: number;
  /** Open-loop connections (the generator opens at most this many). */
  latencyConnections: number;
  /** Size label used for the open-loop latency case. */
  latencySize: string;
  /** Fixed open-loop rate (req/s); null = half of Gatehouse's own max rate. */
  latencyRate: number | null;
  sizes: ResponseSize[];
  arms: string[];
  cases: string[];
  backendProcesses: number;
  install: boolean;
  /** Folder for the JSON result file. */
  outDir: string;
}

/** What a case gets to work with. */
export interface CaseContext {
  options: HarnessOptions;
  /** The started arms, in the order requested (only those this run selected). */
  arms: Array<{ arm: Arm; running: RunningArm }>;
  backendUrl: string;
  root: string;
  /** Samples recorded so far by earlier cases (a later case may read them, e.g. max rates). */
  samples: readonly Sample[];
  record(sample: Sample): void;
  log(line: string): void;
}

/** A table of detail a case prints under the targets table. */
export interface DetailTable {
  title: string;
  header: string[];
  rows: string[][];
  /** Lines printed under the table. */
  notes?: string[];
}

/** What a case hands back: its rows of the targets table and its detail tables. */
export interface CaseReport {
  figures: Figure[];
  tables: DetailTable[];
}

/** A measurement over the arms; registered in bench/cases/index.ts. */
export interface BenchCase {
  id: string;
  label: string;
  /** Runs the measurements (recording samples through ctx.record) and reports. */
  run(ctx: CaseContext): Promise<CaseReport>;
}
