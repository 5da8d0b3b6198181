/**
 * Lints the deployment files (deploy/Dockerfile, .dockerignore, deploy/kubernetes/*.yaml) as far
 * as a machine without a Docker engine or a cluster can (issue 17 §4): that they copy what the
 * repository has and the build makes, that every GATEHOUSE_* variable they set is one the
 * command they run declares (from the CLI's own option tables, so renaming an option fails
 * here), that the probes and the image's HEALTHCHECK knock on ports the product serves, and the
 * HEALTHCHECK itself runs against a real `gatehouse start` in the image's environment.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, posix } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { environmentTwin, type CommandTable } from '../../src/main/command-options.js';
import { exportCommand } from '../../src/main/export-options.js';
import { healthProbePath } from '../../src/gateway/answer-health-probe.js';
import { gatewayCommand } from '../../src/main/gateway-command-options.js';
import { importCommand } from '../../src/main/import-options.js';
import { defaultManagementHttpsPort, defaultManagementPort } from '../../src/main/management-options.js';
import { startCommand } from '../../src/main/start-options.js';
import { traceCommand } from '../../src/main/trace-options.js';
import { runGatehouse, startGatehouseProcess } from '../e2e/helpers/gatehouse-process.js';
import { tempFolders } from '../helpers/temp-folders.js';
import { dockerStages, execForm, type DockerCopy, type DockerInstruction, type DockerStage } from './dockerfile-stages.js';
import { dockerignoreRules, isIgnored } from './dockerignore-rules.js';

const root = new URL('../..', import.meta.url).pathname;
const stages = dockerStages(readFileSync(join(root, 'deploy', 'Dockerfile'), 'utf8'));
const runtime = stages.at(-1)!;
const ignoreRules = dockerignoreRules(readFileSync(join(root, '.dockerignore'), 'utf8'));
const commands = new Map([startCommand, gatewayCommand, importCommand, exportCommand, traceCommand].map((table) => [table.name, table]));
const newFolder = tempFolders('gatehouse-deploy-');

/**
 * The GATEHOUSE_* variables a command reads, as its `--help` names them: each option's
 * environment twin, and the ones its descriptions and notes mention (GATEHOUSE_ENCRYPTION_KEY).
 */
function declaredVariables(table: CommandTable): Set<string> {
  const names = new Set(table.options.filter((row) => row.environment).map((row) => environmentTwin(row.name)));
  for (const text of [...table.options.map((row) => row.description), ...(table.notes ?? [])]) {
    for (const m of text.matchAll(/\bGATEHOUSE_[A-Z0-9_]+\b/g)) names.add(m[0]);
  }
  return names;
}

/** The command table a `gatehouse` argument list runs; fails when it names none. */
function commandOf(args: readonly string[]): CommandTable {
  const table = commands.get(args[0] ?? '');
  assert.ok(table, `'${args.join(' ')}' names no gatehouse command (${[...commands.keys()].join(', ')})`);
  return table;
}

/** The last instruction of a kind in a stage: for CMD, ENTRYPOINT, USER and HEALTHCHECK the one that counts. */
function last(stage: DockerStage, keyword: string): DockerInstruction {
  const found = stage.instructions.filter((i) => i.keyword === keyword).at(-1);
  assert.ok(found, `the runtime stage has no ${keyword}`);
  return found;
}

function stageNamed(name: string, before: DockerStage): DockerStage {
  const index = stages.indexOf(before);
  const found = stages.slice(0, index).find((s) => s.name === name);
  assert.ok(found, `COPY --from=${name}: no earlier stage is named ${name}`);
  return found;
}

const within = (path: string, folder: string) => path === folder || path.startsWith(folder + '/');

/**
 * Where a COPY puts one source in the image: a folder's contents go to the destination itself, a
 * file goes into it by name when the destination is a folder. Sources from other stages are
 * taken for files (the image is not there to look), which gives the same path for `COPY
 * --from=build /app/dist ./dist`.
 */
function landsAt(copy: DockerCopy, source: string): string {
  const folderSource = copy.flags.from === undefined && existsSync(join(root, source)) && statSync(join(root, source)).isDirectory();
  return copy.intoFolder && !folderSource ? posix.join(copy.destination, posix.basename(source)) : copy.destination;
}

/**
 * The repository path an image path of `stage` came from, following COPY back through earlier
 * stages; undefined when a RUN made it (or nothing did).
 */
function contextPathOf(stage: DockerStage, imagePath: string): string | undefined {
  for (const copy of [...stage.copies].reverse()) {
    for (const source of copy.sources) {
      const landed = landsAt(copy, source);
      if (!within(imagePath, landed)) continue;
      const rest = imagePath.slice(landed.length);
      if (copy.flags.from === undefined) return posix.join(source, rest);
      const from = stageNamed(copy.flags.from, stage);
      return contextPathOf(from, posix.resolve(from.workdir, source) + rest);
    }
  }
  return undefined;
}

/** The image paths a stage's RUN steps make: the TypeScript build's output and node_modules. */
function builtPaths(stage: DockerStage): string[] {
  const runs = stage.instructions.filter((i) => i.keyword === 'RUN').map((i) => i.args);
  const outDir = (JSON.parse(readFileSync(join(root, 'tsconfig.json'), 'utf8')) as { compilerOptions: { outDir: string } }).compilerOptions.outDir;
  const made: string[] = [];
  if (runs.some((run) => /\bnpm run build\b/.test(run))) made.push(posix.resolve(stage.workdir, outDir));
  if (runs.some((run) => /\bnpm ci\b/.test(run))) made.push(posix.resolve(stage.workdir, 'node_modules'));
  return made;
}

describe('deploy/Dockerfile', () => {
  it('builds in one stage and runs in another, both on a Node major that package.json allows', () => {
    assert.ok(stages.length >= 2, 'a build stage and a runtime stage');
    const engines = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { engines: { node: string } }).engines.node;
    const minimumMajor = Number(/^>=(\d+)/.exec(engines)?.[1]);
    for (const stage of stages) {
      const m = /^node:(\d+)-bookworm-slim$/.exec(stage.base);
      assert.ok(m, `FROM ${stage.base}: expected node:<major>-bookworm-slim`);
      assert.ok(Number(m[1]) >= minimumMajor, `FROM ${stage.base}: package.json asks for Node ${engines}`);
    }
  });

  it('copies from the build context only files that exist and that .dockerignore lets in', () => {
    const fromContext = stages.flatMap((s) => s.copies).filter((c) => c.flags.from === undefined);
    assert.ok(fromContext.length > 0);
    for (const copy of fromContext) {
      for (const source of copy.sources) {
        assert.ok(existsSync(join(root, source)), `COPY ${source} (line ${copy.line}): no such file in the repository`);
        assert.ok(!isIgnored(ignoreRules, source), `COPY ${source} (line ${copy.line}): .dockerignore leaves it out of the build context`);
      }
    }
  });

  it('copies from earlier stages only what they copied in or built', () => {
    for (const stage of stages) {
      for (const copy of stage.copies.filter((c) => c.flags.from !== undefined)) {
        const from = stageNamed(copy.flags.from!, stage);
        const made = [...from.copies.flatMap((c) => c.sources.map((source) => landsAt(c, source))), ...builtPaths(from)];
        for (const source of copy.sources) {
          const path = posix.resolve(from.workdir, source);
          assert.ok(made.some((m) => within(path, m)), `COPY --from=${copy.flags.from} ${source} (line ${copy.line}): the ${from.name} stage neither copies nor builds ${path}`);
        }
      }
    }
  });

  it('ships the built command and production dependencies only: dist/, bin/, package.json, node_modules and LICENSE', () => {
    const shipped = runtime.copies.map((c) => posix.relative(runtime.workdir, c.destination)).sort();
    assert.deepEqual(shipped, ['LICENSE', 'bin', 'dist', 'node_modules', 'package.json']);
    const modules = runtime.copies.find((c) => c.destination === posix.resolve(runtime.workdir, 'node_modules'))!;
    const builder = stageNamed(modules.flags.from ?? '', runtime);
    const steps = builder.instructions.filter((i) => i.keyword === 'RUN').map((i) => i.args).join('\n');
    const build = steps.search(/\bnpm run build\b/);
    const prune = steps.search(/\bnpm prune --omit=dev\b/);
    assert.ok(build >= 0 && prune > build, `the ${builder.name} stage drops the dev dependencies after the build (npm prune --omit=dev)`);
  });

  it('runs as a numeric user that is not root, so Kubernetes can check runAsNonRoot', () => {
    const m = /^(\d+)(?::(\d+))?$/.exec(last(runtime, 'USER').args.trim());
    assert.ok(m, `USER ${last(runtime, 'USER').args}: write uid[:gid] as numbers`);
    assert.notEqual(Number(m[1]), 0);
  });

  it('sets only GATEHOUSE_* variables that its default command declares, and exposes its ports', () => {
    const command = commandOf(execForm(last(runtime, 'CMD')) ?? []);
    const declared = declaredVariables(command);
    const set = [...runtime.env.keys()].filter((name) => name.startsWith('GATEHOUSE_'));
    assert.ok(set.length > 0);
    for (const name of set) assert.ok(declared.has(name), `ENV ${name}: 'gatehouse ${command.name}' declares no such variable`);
    const exposed = last(runtime, 'EXPOSE').args.split(/\s+/).map((p) => Number(p.replace(/\/tcp$/, ''))).sort((a, b) => a - b);
    const served = [Number(runtime.env.get('GATEHOUSE_GATEWAY_PORT')), defaultManagementPort, defaultManagementHttpsPort].sort((a, b) => a - b);
    assert.deepEqual(exposed, served, 'EXPOSE: the gateway port the image sets and the management API default ports');
  });

  it("runs the repository's bin/gatehouse.js, and its default command is a built one the CLI accepts", async () => {
    const entrypoint = execForm(last(runtime, 'ENTRYPOINT'));
    assert.ok(entrypoint, 'ENTRYPOINT in exec form, so the process gets SIGTERM itself');
    assert.equal(entrypoint[0], 'node');
    assert.equal(contextPathOf(runtime, entrypoint[1]!), 'bin/gatehouse.js');
    assert.equal(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).bin.gatehouse, 'bin/gatehouse.js');
    const command = execForm(last(runtime, 'CMD'));
    assert.ok(command, 'CMD in exec form');
    assert.equal(commandOf(command).built, true, `CMD ${command[0]} is a command that runs`);
    const help = await runGatehouse([...command, '--help']);
    assert.equal(help.code, 0, help.stderr);
    assert.match(help.stdout, new RegExp(`Usage: gatehouse ${command[0]}`));
  });

  it("HEALTHCHECK passes against `gatehouse start` in the image's environment and fails once it stops", async () => {
    const m = /^(?:--\S+\s+)*CMD\s+([\s\S]+)$/.exec(last(runtime, 'HEALTHCHECK').args);
    assert.ok(m, 'HEALTHCHECK [options] CMD command');
    const check = m[1]!;
    const env = Object.fromEntries(runtime.env);
    // The image's variables, on a free port and in a folder of the test's own (the command line wins).
    const gatehouse = await startGatehouseProcess(['--gateway-port', '0', '--data', newFolder()], { env });
    const checkCommand = (port: string) => ({
      env: { ...process.env, ...env, GATEHOUSE_GATEWAY_PORT: port, PATH: `${dirname(process.execPath)}:${process.env.PATH ?? ''}` },
      exec: check.trimStart().startsWith('[') ? (JSON.parse(check) as string[]) : ['sh', '-c', check],
    });
    const runCheck = (port: string) => {
      const { exec, env: checkEnv } = checkCommand(port);
      return spawnSync(exec[0]!, exec.slice(1), { env: checkEnv, encoding: 'utf8', timeout: 60_000 });
    };
    const port = new URL(gatehouse.gatewayUrl).port;
    try {
      const healthy = runCheck(port);
      assert.equal(healthy.status, 0, `the HEALTHCHECK failed against a running gatehouse: ${healthy.stderr}`);
    } finally {
      await gatehouse.stop();
    }
    const stopped = runCheck(port);
    assert.notEqual(stopped.status, 0, 'the HEALTHCHECK passes with nothing listening');
    // Something that answers HTTP but not the health path (a 404) is not a healthy gateway.
    const other = createServer((_req, res) => res.writeHead(404).end()).listen(0, '127.0.0.1');
    await new Promise((resolve) => other.once('listening', resolve));
    try {
      // The server lives in this process: the check must run without blocking its event loop.
      const { exec, env: checkEnv } = checkCommand(String((other.address() as AddressInfo).port));
      const status = await new Promise<number | null>((resolve) => spawn(exec[0]!, exec.slice(1), { env: checkEnv, stdio: 'ignore' }).once('exit', resolve));
      assert.notEqual(status, 0, 'the HEALTHCHECK passes against a server that answers 404');
    } finally {
      other.close();
    }
  });
});

describe('.dockerignore', () => {
  it('keeps installed, built, local and test files out of the build context', () => {
    for (const path of ['node_modules', 'node_modules/yaml/package.json', 'dist/main/cli.js', '.git', '.gatehouse/admin-token', 'test/fixtures', 'bench', 'reports']) {
      assert.ok(isIgnored(ignoreRules, path), `${path} is sent to the Docker engine`);
    }
  });

  it('follows Docker’s rules: last match wins, folders cover their contents, ** spans folders', () => {
    const rules = dockerignoreRules('# comment\n*.log\n!keep.log\nbuild/\n**/secret.txt\n');
    assert.equal(isIgnored(rules, 'a.log'), true);
    assert.equal(isIgnored(rules, 'keep.log'), false);
    assert.equal(isIgnored(rules, 'logs/a.log'), false, '* stays within one folder');
    assert.equal(isIgnored(rules, 'build/out/x.js'), true);
    assert.equal(isIgnored(rules, 'secret.txt'), true);
    assert.equal(isIgnored(rules, 'deep/down/secret.txt'), true);
    assert.equal(isIgnored(rules, 'src/a.ts'), false);
  });
});

interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef?: { name: string; key: string }; configMapKeyRef?: { name: string; key: string } };
}
interface Probe {
  tcpSocket?: { port: string | number };
  httpGet?: { path: string; port: string | number };
  exec?: unknown;
  grpc?: unknown;
}
interface Container {
  name: string;
  image: string;
  command?: string[];
  args?: string[];
  env?: EnvVar[];
  envFrom?: Array<{ configMapRef?: { name: string }; secretRef?: { name: string } }>;
  ports?: Array<{ name?: string; containerPort: number }>;
  readinessProbe?: Probe;
  livenessProbe?: Probe;
  startupProbe?: Probe;
  lifecycle?: { preStop?: { exec?: { command: string[] } } };
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  securityContext?: { allowPrivilegeEscalation?: boolean; readOnlyRootFilesystem?: boolean; capabilities?: { drop?: string[] } };
  volumeMounts?: Array<{ name: string; mountPath: string; readOnly?: boolean }>;
}
interface PodSpec {
  terminationGracePeriodSeconds?: number;
  securityContext?: { runAsNonRoot?: boolean; runAsUser?: number };
  containers: Container[];
  volumes?: Array<{ name: string; emptyDir?: object }>;
}
interface Resource {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string> };
  data?: Record<string, string>;
  stringData?: Record<string, string>;
  spec?: {
    replicas?: number;
    /** A Deployment's has matchLabels; a Service's is the labels themselves. */
    selector?: { matchLabels?: Record<string, string>; [label: string]: unknown };
    strategy?: { type?: string; rollingUpdate?: { maxUnavailable?: number | string } };
    template?: { metadata: { labels: Record<string, string> }; spec: PodSpec };
    type?: string;
    ports?: Array<{ name: string; port: number; targetPort: string | number }>;
  };
}

const expectedApiVersions: Record<string, string> = { ConfigMap: 'v1', Secret: 'v1', Deployment: 'apps/v1', Service: 'v1' };
const manifestFolder = join(root, 'deploy', 'kubernetes');
const manifests = readdirSync(manifestFolder).filter((name) => /\.ya?ml$/.test(name) && statSync(join(manifestFolder, name)).isFile());

describe('deploy/kubernetes', () => {
  it('has the self-hosted gateway manifest', () => {
    assert.ok(manifests.includes('self-hosted-gateway.yaml'), manifests.join(', '));
  });

  for (const file of manifests) {
    const documents = parseAllDocuments(readFileSync(join(manifestFolder, file), 'utf8'));
    const resources = documents.map((d) => d.toJS() as Resource);
    const one = (kind: string): Resource => {
      const found = resources.filter((r) => r.kind === kind);
      assert.equal(found.length, 1, `${file}: one ${kind}`);
      return found[0]!;
    };
    const named = (kind: string, name: string): Resource => {
      const found = resources.find((r) => r.kind === kind && r.metadata.name === name);
      assert.ok(found, `${file}: refers to ${kind} '${name}', which it does not define`);
      return found;
    };

    describe(file, () => {
      it('parses as YAML into a ConfigMap, a Secret, a Deployment and a Service, with their apiVersions and names', () => {
        for (const d of documents) assert.deepEqual([...d.errors, ...d.warnings].map((e) => e.message), []);
        assert.deepEqual(resources.map((r) => r.kind).sort(), ['ConfigMap', 'Deployment', 'Secret', 'Service']);
        for (const r of resources) {
          assert.equal(r.apiVersion, expectedApiVersions[r.kind], `${r.kind}'s apiVersion`);
          assert.match(r.metadata.name, /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, `${r.kind}'s name is a DNS label`);
        }
      });

      const deployment = one('Deployment');
      const pod = deployment.spec!.template!.spec;
      const container = pod.containers[0]!;
      const args = container.args ?? [];
      const imageEnv = (name: string): string | undefined => container.env?.find((e) => e.name === name)?.value ?? runtime.env.get(name);

      it("runs one container with the image's entrypoint and a command the CLI accepts", async () => {
        assert.equal(pod.containers.length, 1);
        assert.equal(container.command, undefined, "command: would replace the image's ENTRYPOINT");
        commandOf(args);
        const help = await runGatehouse([...args, '--help']);
        assert.equal(help.code, 0, `gatehouse ${args.join(' ')} --help: ${help.stderr}`);
      });

      it('sets only variables its command declares, from ConfigMap and Secret keys that exist', () => {
        const declared = declaredVariables(commandOf(args));
        const names: string[] = [];
        for (const from of container.envFrom ?? []) {
          if (from.configMapRef) names.push(...Object.keys(named('ConfigMap', from.configMapRef.name).data ?? {}));
          if (from.secretRef) names.push(...Object.keys(named('Secret', from.secretRef.name).stringData ?? {}));
        }
        for (const variable of container.env ?? []) {
          names.push(variable.name);
          const secret = variable.valueFrom?.secretKeyRef;
          if (secret) assert.ok(secret.key in (named('Secret', secret.name).stringData ?? {}), `${variable.name}: Secret '${secret.name}' has no key '${secret.key}'`);
          const config = variable.valueFrom?.configMapKeyRef;
          if (config) assert.ok(config.key in (named('ConfigMap', config.name).data ?? {}), `${variable.name}: ConfigMap '${config.name}' has no key '${config.key}'`);
        }
        assert.ok(names.includes('GATEHOUSE_MANAGEMENT_URL') && names.includes('GATEHOUSE_GATEWAY_TOKEN'), names.join(', '));
        for (const name of names) assert.ok(declared.has(name), `${name}: 'gatehouse ${args[0]}' declares no such variable (declared: ${[...declared].join(', ')})`);
        const url = new URL(one('ConfigMap').data!.GATEHOUSE_MANAGEMENT_URL!);
        assert.match(url.protocol, /^https?:$/);
      });

      it("reads the image's host, port and data folder settings, which its command declares", { skip: commandOf(args).built ? false : `'gatehouse ${args[0]}' is not built on this branch yet; once it is, this checks it reads them` }, () => {
        const declared = declaredVariables(commandOf(args));
        for (const name of [...runtime.env.keys()].filter((n) => n.startsWith('GATEHOUSE_'))) {
          assert.ok(declared.has(name), `the image sets ${name}, which 'gatehouse ${args[0]}' ignores`);
        }
      });

      it("serves on the image's gateway port and keeps its data folder on a writable emptyDir", () => {
        const http = container.ports?.find((p) => p.name === 'http');
        assert.equal(http?.containerPort, Number(imageEnv('GATEHOUSE_GATEWAY_PORT')));
        const data = container.volumeMounts?.find((m) => m.mountPath === imageEnv('GATEHOUSE_DATA'));
        assert.ok(data, `a volume at the data folder ${imageEnv('GATEHOUSE_DATA')}`);
        assert.notEqual(data.readOnly, true);
        assert.ok(pod.volumes?.find((v) => v.name === data.name)?.emptyDir, `volume '${data.name}' is an emptyDir`);
        for (const mount of container.volumeMounts ?? []) assert.ok(pod.volumes?.some((v) => v.name === mount.name), `mount '${mount.name}' names a volume of the pod`);
      });

      it('probes readiness and liveness on the gateway port, the only one it serves', () => {
        const gatewayPort = Number(imageEnv('GATEHOUSE_GATEWAY_PORT'));
        const portNumber = (port: string | number) => (typeof port === 'number' ? port : container.ports?.find((p) => p.name === port)?.containerPort);
        for (const which of ['readinessProbe', 'livenessProbe'] as const) {
          const probe = container[which];
          assert.ok(probe, `${which} is set`);
          // The gateway answers Azure's health path without a key (src/gateway/answer-health-probe.ts).
          assert.ok(probe.httpGet, `${which}: httpGet`);
          assert.equal(probe.httpGet.path, healthProbePath, `${which} asks the health path`);
          assert.equal(portNumber(probe.httpGet.port), gatewayPort, `${which} knocks on the gateway port`);
        }
      });

      it('rolls out two replicas without a gap, with resources and a grace period longer than its preStop pause', () => {
        const spec = deployment.spec!;
        assert.equal(spec.replicas, 2);
        assert.equal(spec.strategy?.type, 'RollingUpdate');
        assert.equal(spec.strategy?.rollingUpdate?.maxUnavailable, 0);
        for (const [label, value] of Object.entries(spec.selector?.matchLabels ?? {})) assert.equal(spec.template!.metadata.labels[label], value, `the selector's ${label} matches the pods`);
        assert.ok(Object.keys(spec.selector?.matchLabels ?? {}).length > 0);
        for (const what of ['cpu', 'memory']) assert.ok(container.resources?.requests?.[what], `requests.${what}`);
        assert.ok(container.resources?.limits?.memory, 'limits.memory');
        const grace = pod.terminationGracePeriodSeconds;
        assert.ok(typeof grace === 'number' && grace > 0, 'terminationGracePeriodSeconds');
        const pause = container.lifecycle?.preStop?.exec?.command;
        if (pause?.[0] === 'sleep') assert.ok(grace > Number(pause[1]), `the grace period (${grace} s) outlasts preStop's sleep ${pause[1]}`);
      });

      it("runs as the image's non-root user on a read-only root filesystem, without privileges", () => {
        const uid = Number(/^(\d+)/.exec(last(runtime, 'USER').args.trim())?.[1]);
        assert.equal(pod.securityContext?.runAsNonRoot, true);
        assert.equal(pod.securityContext?.runAsUser, uid, "runAsUser is the image's USER");
        assert.equal(container.securityContext?.readOnlyRootFilesystem, true);
        assert.equal(container.securityContext?.allowPrivilegeEscalation, false);
        assert.deepEqual(container.securityContext?.capabilities?.drop, ['ALL']);
      });

      it("selects the Deployment's pods with a Service whose ports name the container's ports", () => {
        const service = one('Service');
        assert.ok(['LoadBalancer', 'ClusterIP', 'NodePort'].includes(service.spec?.type ?? 'ClusterIP'));
        const selector = Object.entries(service.spec?.selector ?? {});
        assert.ok(selector.length > 0);
        for (const [label, value] of selector) assert.equal(deployment.spec!.template!.metadata.labels[label], value, `the Service's ${label} selects the pods`);
        assert.ok((service.spec?.ports ?? []).some((p) => p.name === 'http'));
        for (const port of service.spec?.ports ?? []) {
          const target = container.ports?.find((p) => (typeof port.targetPort === 'number' ? p.containerPort === port.targetPort : p.name === port.targetPort));
          assert.ok(target, `Service port ${port.name} → ${port.targetPort}: no such container port`);
        }
      });
    });
  }
});
