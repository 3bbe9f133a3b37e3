// A stand-in for the `pulumi` CLI, for tests that drive the real Automation API
// (@pulumi/pulumi/automation) without a Pulumi installation, a backend or a cloud. It answers the
// commands the Automation API runs (`version`, `stack select`, `preview`, `up`, and minimally
// `whoami`, `stack ls`, `stack init`, `stack history`, `stack output`, `stack export`, `config`,
// `about`, `plugin ls`, `cancel`; `stack history` reports one update, the one `up` replays),
// and for `preview` and `up` it replays a recorded engine event stream over the event protocol the
// Automation API asked for: `--event-log tcp://127.0.0.1:PORT` (CLI > 3.205: a gRPC client of the
// pulumirpc.Events service, one JSON engine event per message) or `--event-log FILE` (older
// CLIs: one JSON event per line, appended to the file). It exits as the real CLI does.
//
// Run through bin/pulumi (PulumiCommand.get({ root: "<this folder>" })). Plain JavaScript, no
// build step. Configured by environment variables, which reach it through the Automation API's
// `envVars` or the test process:
//
//   STAND_IN_PULUMI_EVENTS     the .jsonl file `preview` streams (required for preview and up)
//   STAND_IN_PULUMI_UP_EVENTS  the .jsonl file `up` streams (default: STAND_IN_PULUMI_EVENTS)
//   STAND_IN_PULUMI_VERSION    the version `pulumi version` reports (default 3.248.0); it also picks
//                              the exit codes: from 3.226.1 on, 1 for a failed run and 6 for an
//                              unknown stack; before, 255 for both
//   STAND_IN_PULUMI_LOG        a file to append one JSON line per invocation to:
//                              { time, pid, argv, cwd, env, switches } where env lists the NAMES
//                              (never the values: tokens and passphrases live there) of the PULUMI_*
//                              variables, and switches the values of the few that are on/off
//                              switches, never secrets (PULUMI_EXPERIMENTAL, …)
//   STAND_IN_PULUMI_STACKS     comma-separated stacks that exist; selecting or previewing another
//                              fails as the CLI does ("no stack named 'x' found"). Unset: any stack
//   STAND_IN_PULUMI_LOCKED     "1": preview and up fail as on Pulumi Cloud while another update
//                              runs ("[409] Conflict: Another update is currently in progress.");
//                              "diy": as on a self-managed backend ("the stack is currently locked by")
//   STAND_IN_PULUMI_EXIT       an exit code for preview and up, in place of the computed one
//   STAND_IN_PULUMI_OUTPUTS    a JSON file: the root stack's outputs as the state holds them, each
//                              secret (at any depth) as {"4dabf18193072939515e22adb298388d":
//                              "1b47061264138c4ac30d75fd1eb44270", "plaintext": "<its JSON>"}.
//                              `stack output --json` shows every secret as "[secret]", with
//                              --show-secrets decrypted; `stack export` holds them as they are with
//                              --show-secrets, else as ciphertext. Unset: no outputs
//
// Config comes from Pulumi.<stack>.yaml next to Pulumi.yaml. A `secure:` value in the stand-in's
// own form, "stand-in:<base64 of the plaintext>", is what `config --show-secrets` decrypts (the
// Automation API's getAllConfig); any other secure value shows as "[secret]".
//
// A run fails (exit code above) when its summaryEvent has result "failed" or "canceled", when the
// stream has no summaryEvent, or, for streams of old CLIs without a result, when it has a mandatory
// policy event or an error diagnostic. Advisory violations alone exit 0. `preview --save-plan F`
// writes an update plan to F only when the preview succeeded; `up --plan F` requires F to exist.
// Pulumi.yaml is looked up from the working directory upwards, as the CLI does.

import { appendFileSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

// The repository's node_modules, found from this file's location, whatever the working directory.
const repositoryRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const requireFromRepository = createRequire(path.join(repositoryRoot, "package.json"));

const DEFAULT_VERSION = "3.248.0";
const version = process.env.STAND_IN_PULUMI_VERSION || DEFAULT_VERSION;

class CliError extends Error {
  constructor(message, exitCode) {
    super(message);
    this.exitCode = exitCode;
  }
}

function isAtLeast(actual, wanted) {
  const parse = (text) =>
    text
      .replace(/^v/, "")
      .split(/[.+-]/)
      .slice(0, 3)
      .map((part) => Number.parseInt(part, 10) || 0);
  const [a, b] = [parse(actual), parse(wanted)];
  for (let index = 0; index < 3; index++) {
    if (a[index] !== b[index]) return a[index] > b[index];
  }
  return true;
}

// The exit codes of pkg/cmd/pulumi's cmdutil.ExitCodeFor from v3.226.1 on; os.Exit(-1) before.
const NEW_EXIT_CODES = isAtLeast(version, "3.226.1");
const EXIT_FAILED = NEW_EXIT_CODES ? 1 : 255;
const EXIT_STACK_NOT_FOUND = NEW_EXIT_CODES ? 6 : 255;

// Flags that take a value; every other flag is a switch. Unknown flags are refused as cobra does.
const VALUE_FLAGS = new Set([
  "--stack",
  "-s",
  "--policy-pack",
  "--policy-pack-config",
  "--exec-agent",
  "--save-plan",
  "--plan",
  "--color",
  "--exec-kind",
  "--event-log",
  "--message",
  "-m",
  "--parallel",
  "-p",
  "--replace",
  "--target",
  "--exclude",
  "--config-file",
  "--tracing",
  "--verbose",
  "-v",
  "--client",
  "--import-file",
  "--secrets-provider",
  "--cwd",
  "-C",
  "--copy-config-from",
  "--page-size",
  "--page",
]);
const SWITCHES = new Set([
  "--non-interactive",
  "--yes",
  "-y",
  "--skip-preview",
  "--diff",
  "--refresh",
  "-r",
  "--expect-no-changes",
  "--json",
  "-j",
  "--show-secrets",
  "--suppress-outputs",
  "--suppress-progress",
  "--debug",
  "-d",
  "--logflow",
  "--logtostderr",
  "--run-program",
  "--target-dependents",
  "--exclude-dependents",
  "--attach-debugger",
  "--help",
  "-h",
  "--preserve-config",
  "--force",
  "-f",
  "--no-select",
  "--all",
  "--remove-backups",
  "--emoji",
  "-e",
]);

function parseArguments(argv) {
  const words = [];
  const flags = new Map();
  const add = (name, value) => flags.set(name, [...(flags.get(name) ?? []), value]);
  for (let index = 0; index < argv.length; index++) {
    const argument = argv[index];
    if (!argument.startsWith("-") || argument === "-") {
      words.push(argument);
      continue;
    }
    const equals = argument.indexOf("=");
    const name = equals > 0 ? argument.slice(0, equals) : argument;
    if (!VALUE_FLAGS.has(name) && !SWITCHES.has(name)) throw new CliError(`unknown flag: ${name}`, EXIT_FAILED);
    if (equals > 0) add(name, argument.slice(equals + 1));
    else if (VALUE_FLAGS.has(name)) {
      if (index + 1 >= argv.length) throw new CliError(`flag needs an argument: ${name}`, EXIT_FAILED);
      add(name, argv[++index]);
    } else add(name, "true");
  }
  const all = (...names) => names.flatMap((name) => flags.get(name) ?? []);
  const last = (...names) => all(...names).at(-1);
  const isSet = (...names) => all(...names).some((value) => value !== "false");
  return { words, all, last, isSet };
}

// Variables whose values are logged: switches only, never anything that could be a secret.
const LOGGED_SWITCHES = ["PULUMI_EXPERIMENTAL", "PULUMI_SKIP_UPDATE_CHECK", "PULUMI_DEBUG_COMMANDS", "PULUMI_AUTOMATION_API"];

function logInvocation(argv) {
  const file = process.env.STAND_IN_PULUMI_LOG;
  if (!file) return;
  const env = Object.keys(process.env)
    .filter((name) => name.startsWith("PULUMI_"))
    .sort();
  const switches = Object.fromEntries(LOGGED_SWITCHES.filter((name) => name in process.env).map((name) => [name, process.env[name]]));
  appendFileSync(
    file,
    `${JSON.stringify({ time: new Date().toISOString(), pid: process.pid, argv, cwd: process.cwd(), env, switches })}\n`,
  );
}

function findProject(directory) {
  for (let current = path.resolve(directory); ; current = path.dirname(current)) {
    for (const name of ["Pulumi.yaml", "Pulumi.yml", "Pulumi.json"]) {
      const file = path.join(current, name);
      if (existsSync(file)) return file;
    }
    if (path.dirname(current) === current) {
      throw new CliError(
        `no Pulumi.yaml project file found (searching upwards from ${directory}). If you have not created a project yet, use \`pulumi new\` to do so`,
        EXIT_FAILED,
      );
    }
  }
}

function projectName(projectFile) {
  const text = readFileSync(projectFile, "utf8");
  if (projectFile.endsWith(".json")) return JSON.parse(text).name;
  return requireFromRepository("yaml").parse(text)?.name;
}

/** A `secure:` config value as `config --show-secrets` shows it: see the header. */
function standInDecrypt(ciphertext, showSecrets) {
  if (!showSecrets || typeof ciphertext !== "string" || !ciphertext.startsWith("stand-in:")) return "[secret]";
  return Buffer.from(ciphertext.slice("stand-in:".length), "base64").toString("utf8");
}

function knownStacks() {
  const list = process.env.STAND_IN_PULUMI_STACKS;
  if (list === undefined) return undefined;
  return list
    .split(",")
    .map((name) => name.trim())
    .filter((name) => name !== "");
}

/** The stack a command operates on: --stack, else the positional name; it must exist. */
function requireStack(args, positional) {
  const name = args.last("--stack", "-s") ?? positional;
  if (!name) throw new CliError("no stack selected; please use `pulumi stack select` to choose one", EXIT_STACK_NOT_FOUND);
  const stacks = knownStacks();
  const bare = name.split("/").at(-1);
  if (stacks && !stacks.includes(name) && !stacks.includes(bare))
    throw new CliError(`no stack named '${name}' found`, EXIT_STACK_NOT_FOUND);
  return name;
}

function readEvents(file, variable) {
  if (!file) throw new CliError(`stand-in pulumi: ${variable} is not set; it names the .jsonl event stream to replay`, EXIT_FAILED);
  let text;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw new CliError(`stand-in pulumi: cannot read ${variable}=${file}: ${error.code ?? error.message}`, EXIT_FAILED);
  }
  return text
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line, index) => {
      try {
        return JSON.parse(line);
      } catch (error) {
        throw new CliError(`stand-in pulumi: ${file}:${index + 1} is not JSON: ${error.message}`, EXIT_FAILED);
      }
    });
}

/** Did the run fail, as the CLI decides it: from the summary, else (old CLIs) from what failed. */
function runFailed(events) {
  const summary = events.findLast((event) => event.summaryEvent)?.summaryEvent;
  if (!summary) return true;
  if (summary.result !== undefined) return summary.result !== "succeeded";
  return events.some(
    (event) =>
      (event.policyEvent && event.policyEvent.enforcementLevel !== "advisory") ||
      (event.diagnosticEvent && event.diagnosticEvent.severity === "error") ||
      event.resOpFailedEvent,
  );
}

// The CLI's policy pack checks that come before the engine starts: every pack is a folder with a
// PulumiPolicy.yaml, every config file is a JSON object, and configs pair with packs by position.
function checkPolicyPacks(args) {
  const packs = args.all("--policy-pack");
  const configs = args.all("--policy-pack-config");
  if (configs.length > 0 && packs.length === 0)
    throw new CliError('"--policy-pack-config" must be specified with "--policy-pack"', EXIT_FAILED);
  if (configs.length > 0 && configs.length !== packs.length) {
    throw new CliError('the number of "--policy-pack-config" flags must match the number of "--policy-pack" flags', EXIT_FAILED);
  }
  for (const pack of packs) {
    const manifest = path.join(path.resolve(pack), "PulumiPolicy.yaml");
    if (!existsSync(manifest)) throw new CliError(`could not load policy pack ${pack}: ${manifest} does not exist`, EXIT_FAILED);
  }
  for (const config of configs) {
    let parsed;
    try {
      parsed = JSON.parse(readFileSync(path.resolve(config), "utf8"));
    } catch (error) {
      throw new CliError(`loading policy pack config ${config}: ${error.code ?? error.message}`, EXIT_FAILED);
    }
    if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
      throw new CliError(`loading policy pack config ${config}: expected a JSON object`, EXIT_FAILED);
    }
  }
}

const SECRET_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIGNATURE = "1b47061264138c4ac30d75fd1eb44270";

function stackOutputs() {
  const file = process.env.STAND_IN_PULUMI_OUTPUTS;
  if (!file) return {};
  try {
    return JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw new CliError(`stand-in pulumi: cannot read STAND_IN_PULUMI_OUTPUTS=${file}: ${error.code ?? error.message}`, EXIT_FAILED);
  }
}

/** Every secret in `value` turned by `convert` (given its plaintext JSON), at any depth. */
function mapSecrets(value, convert) {
  if (value !== null && typeof value === "object") {
    if (value[SECRET_KEY] === SECRET_SIGNATURE) return convert(value.plaintext ?? "null");
    if (Array.isArray(value)) return value.map((item) => mapSecrets(item, convert));
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, mapSecrets(item, convert)]));
  }
  return value;
}

function lockedError(stack) {
  const mode = process.env.STAND_IN_PULUMI_LOCKED;
  if (!mode || mode === "0") return undefined;
  if (mode === "diy") {
    return new CliError(
      "the stack is currently locked by 1 lock(s). Either wait for the other process(es) to end or delete the lock file with `pulumi cancel`.\n" +
        `  file:///home/runner/.pulumi/locks/organization/project/${stack}/8d1f0b6e.json: created by runner@ci-host (pid 4242) at 2025-06-02T09:14:03Z`,
      EXIT_FAILED,
    );
  }
  return new CliError(
    "[409] Conflict: Another update is currently in progress.\nTo learn more about possible reasons and resolution, visit https://www.pulumi.com/docs/common-errors/#conflict",
    EXIT_FAILED,
  );
}

/** A short rendering of the run on stdout, so that the output tail says something. */
function render(event, write) {
  const step = event.resourcePreEvent?.metadata;
  if (step) write(`    ${step.op.padEnd(8)} ${step.type} ${step.urn.split("::").at(-1)}`);
  const policy = event.policyEvent;
  if (policy) {
    const lines = policy.message
      .replace(/<\{%[^%]*%\}>/g, "")
      .trimEnd()
      .split("\n");
    write(`    [${policy.enforcementLevel}] ${policy.policyPackName}/${policy.policyName} (${policy.resourceUrn ?? "stack"})`);
    for (const line of lines) write(`        ${line}`);
  }
  const diagnostic = event.diagnosticEvent;
  if (diagnostic && !diagnostic.ephemeral && diagnostic.severity !== "debug") {
    write(`    ${diagnostic.severity}: ${diagnostic.message.replace(/<\{%[^%]*%\}>/g, "").trimEnd()}`);
  }
  const summary = event.summaryEvent;
  if (summary && summary.result !== "failed") {
    write("Resources:");
    for (const [op, count] of Object.entries(summary.resourceChanges ?? {})) write(`    ${count} ${op}`);
  }
}

// The event log sinks. gRPC: a client stream of pulumirpc.Events/StreamEvents; `close` resolves
// when the Automation API's server has answered, so every event is in before the CLI exits.
function openGrpcSink(address) {
  // grpc-js is taken from where @pulumi/pulumi's generated client loads it, so that both are one instance.
  const eventsGrpcPath = requireFromRepository.resolve("@pulumi/pulumi/proto/events_grpc_pb.js");
  const requireFromPulumi = createRequire(eventsGrpcPath);
  const grpc = requireFromPulumi("@grpc/grpc-js");
  const { EventsClient } = requireFromPulumi(eventsGrpcPath);
  const { EventRequest } = requireFromPulumi("./events_pb.js");
  const client = new EventsClient(address, grpc.credentials.createInsecure());
  // The server's answer (or the stream's failure), observed from the start so that a failure
  // before close() is reported there rather than as an unhandled rejection.
  let outcome;
  const answered = new Promise((resolve) => {
    outcome = resolve;
  });
  const call = client.streamEvents((error) => outcome(error ?? undefined));
  return {
    async send(event) {
      const request = new EventRequest();
      request.setEvent(JSON.stringify(event));
      if (!call.write(request)) await new Promise((resolve) => call.once("drain", resolve));
    },
    async close() {
      call.end();
      const error = await answered;
      client.close();
      if (error) throw new CliError(`could not stream engine events to the Automation API: ${error.message}`, EXIT_FAILED);
    },
  };
}

function openFileSink(file) {
  return {
    async send(event) {
      appendFileSync(file, `${JSON.stringify(event)}\n`);
    },
    async close() {},
  };
}

function openEventLog(target) {
  if (!target) return undefined;
  return target.startsWith("tcp://") ? openGrpcSink(target.slice("tcp://".length)) : openFileSink(target);
}

function writePlan(file, events) {
  const resourcePlans = {};
  for (const event of events) {
    const metadata = event.resOutputsEvent?.metadata ?? event.resourcePreEvent?.metadata;
    if (!metadata) continue;
    resourcePlans[metadata.urn] = {
      goal: {
        type: metadata.type,
        name: metadata.urn.split("::").at(-1),
        custom: metadata.new?.custom ?? false,
        inputs: metadata.new?.inputs ?? {},
      },
      steps: [metadata.op],
      state: metadata.new?.outputs ?? {},
    };
  }
  const plan = { manifest: { time: new Date().toISOString(), magic: "", version: `v${version}` }, config: {}, resourcePlans };
  writeFileSync(path.resolve(file), `${JSON.stringify(plan, null, 4)}\n`);
}

async function runOperation(command, args, out) {
  findProject(process.cwd());
  const stack = requireStack(args);
  checkPolicyPacks(args);
  if (command === "up") {
    const plan = args.last("--plan");
    if (plan) {
      try {
        JSON.parse(readFileSync(path.resolve(plan), "utf8"));
      } catch (error) {
        throw new CliError(`error reading plan file ${plan}: ${error.code ?? error.message}`, EXIT_FAILED);
      }
    }
  }
  const locked = lockedError(stack);
  if (locked) throw locked;

  const events =
    command === "up" && process.env.STAND_IN_PULUMI_UP_EVENTS
      ? readEvents(process.env.STAND_IN_PULUMI_UP_EVENTS, "STAND_IN_PULUMI_UP_EVENTS")
      : readEvents(process.env.STAND_IN_PULUMI_EVENTS, "STAND_IN_PULUMI_EVENTS");
  out(command === "preview" ? `Previewing update (${stack}):` : `Updating (${stack}):`);
  const sink = openEventLog(args.last("--event-log"));
  try {
    for (const event of events) {
      render(event, out);
      if (sink) await sink.send(event);
    }
  } finally {
    if (sink) await sink.close();
  }

  const failed = runFailed(events);
  const savePlan = args.last("--save-plan");
  if (command === "preview" && savePlan && !failed) writePlan(savePlan, events);
  const override = process.env.STAND_IN_PULUMI_EXIT;
  if (override !== undefined && override !== "") return Number.parseInt(override, 10);
  return failed ? EXIT_FAILED : 0;
}

async function main(argv) {
  const out = (line) => process.stdout.write(`${line}\n`);
  try {
    const args = parseArguments(argv);
    const cwd = args.last("--cwd", "-C");
    if (cwd) process.chdir(path.resolve(cwd));
    const [command, subcommand, ...rest] = args.words;
    const json = args.isSet("--json", "-j");
    let exitCode = 0;
    switch (command) {
      case "version":
        out(`v${version}`);
        break;
      case "whoami":
        out(json ? JSON.stringify({ user: "stand-in", organizations: ["stand-in"], url: "https://app.pulumi.com/stand-in" }) : "stand-in");
        break;
      case "about":
        findProject(process.cwd());
        out(
          json ? JSON.stringify({ cliVersion: version, backend: { name: "stand-in", user: "stand-in" } }) : `CLI\nVersion      ${version}`,
        );
        break;
      case "plugin":
        if (subcommand !== "ls") throw new CliError(`unknown command "${subcommand ?? ""}" for "pulumi plugin"`, EXIT_FAILED);
        out(json ? "[]" : "TOTAL plugin cache size: 0 B");
        break;
      case "cancel":
        requireStack(args, subcommand);
        out("The currently running update has been canceled!");
        break;
      case "config": {
        const projectFile = findProject(process.cwd());
        const stack = requireStack(args);
        if (subcommand !== undefined) throw new CliError(`stand-in pulumi: "config ${subcommand}" is not implemented`, EXIT_FAILED);
        const settings = path.join(path.dirname(projectFile), `Pulumi.${stack.split("/").at(-1)}.yaml`);
        const config = existsSync(settings) ? (requireFromRepository("yaml").parse(readFileSync(settings, "utf8"))?.config ?? {}) : {};
        const project = projectName(projectFile);
        const entries = Object.entries(config).map(([key, value]) => {
          const qualified = key.includes(":") ? key : `${project}:${key}`;
          const secure = value !== null && typeof value === "object" && "secure" in value;
          // The stand-in has no key: a secret stays "[secret]", except one in the stand-in's own
          // form, "stand-in:<base64 of the plaintext>", which --show-secrets shows decrypted.
          const plain = typeof value === "string" ? value : JSON.stringify(value);
          return [qualified, { value: secure ? standInDecrypt(value.secure, args.isSet("--show-secrets")) : plain, secret: secure }];
        });
        out(json ? JSON.stringify(Object.fromEntries(entries), null, 4) : entries.map(([key, { value }]) => `${key}  ${value}`).join("\n"));
        break;
      }
      case "stack":
        switch (subcommand) {
          case "select":
            findProject(process.cwd());
            requireStack(args, rest[0]);
            break;
          case "init": {
            findProject(process.cwd());
            const name = args.last("--stack", "-s") ?? rest[0];
            if (!name) throw new CliError("a stack name is required", EXIT_FAILED);
            if (knownStacks()?.includes(name)) throw new CliError(`stack '${name}' already exists`, EXIT_FAILED);
            out(`Created stack '${name}'`);
            break;
          }
          case "ls": {
            findProject(process.cwd());
            const stacks = (knownStacks() ?? []).map((name, index) => ({ name, current: index === 0, updateInProgress: false }));
            out(json ? JSON.stringify(stacks, null, 4) : ["NAME", ...stacks.map((stack) => stack.name)].join("\n"));
            break;
          }
          case "history": {
            findProject(process.cwd());
            requireStack(args);
            // Stateless: the latest update is the one `up` replays, when there is one to replay.
            const variable = process.env.STAND_IN_PULUMI_UP_EVENTS ? "STAND_IN_PULUMI_UP_EVENTS" : "STAND_IN_PULUMI_EVENTS";
            const history = [];
            if (process.env[variable]) {
              const events = readEvents(process.env[variable], variable);
              const summary = events.findLast((event) => event.summaryEvent)?.summaryEvent;
              const [first, last] = [events.at(0)?.timestamp ?? 0, events.at(-1)?.timestamp ?? 0];
              history.push({
                version: 1,
                kind: "update",
                startTime: new Date(first * 1000).toISOString(),
                endTime: new Date(last * 1000).toISOString(),
                message: "",
                environment: { "exec.kind": "auto.local" },
                config: {},
                result: runFailed(events) ? "failed" : "succeeded",
                resourceChanges: summary?.resourceChanges ?? {},
              });
            }
            out(
              json
                ? JSON.stringify(history, null, 4)
                : history.map((update) => `UpdateKind: ${update.kind}\nStatus: ${update.result}`).join("\n"),
            );
            break;
          }
          case "output": {
            findProject(process.cwd());
            requireStack(args);
            const shown = mapSecrets(stackOutputs(), (plaintext) => (args.isSet("--show-secrets") ? JSON.parse(plaintext) : "[secret]"));
            const lines = Object.entries(shown).map(
              ([key, value]) => `    ${key}  ${typeof value === "string" ? value : JSON.stringify(value)}`,
            );
            out(
              json
                ? JSON.stringify(shown, null, 2)
                : lines.length
                  ? ["Current stack outputs:", ...lines].join("\n")
                  : "No output values currently in this stack",
            );
            break;
          }
          case "export": {
            const projectFile = findProject(process.cwd());
            const stack = requireStack(args).split("/").at(-1);
            const project = projectName(projectFile);
            // Without --show-secrets the state keeps ciphertext; the stand-in has no key, so it is a fixed stand-in.
            const outputs = args.isSet("--show-secrets")
              ? stackOutputs()
              : mapSecrets(stackOutputs(), () => ({
                  [SECRET_KEY]: SECRET_SIGNATURE,
                  ciphertext: "v1:c3RhbmQtaW4=:c3RhbmQtaW4tY2lwaGVydGV4dA==",
                }));
            const urn = `urn:pulumi:${stack}::${project}::pulumi:pulumi:Stack::${project}-${stack}`;
            const deployment = {
              manifest: { time: new Date().toISOString(), magic: "", version: `v${version}` },
              resources: [
                {
                  urn,
                  custom: false,
                  type: "pulumi:pulumi:Stack",
                  outputs,
                  created: new Date(0).toISOString(),
                  modified: new Date(0).toISOString(),
                },
              ],
            };
            out(JSON.stringify({ version: 3, deployment }, null, 4));
            break;
          }
          default:
            throw new CliError(`unknown command "${subcommand ?? ""}" for "pulumi stack"`, EXIT_FAILED);
        }
        break;
      case "preview":
      case "up":
        if (args.isSet("--help", "-h")) {
          out(`Usage:\n  pulumi ${command} [flags]`);
          break;
        }
        exitCode = await runOperation(command, args, out);
        break;
      case undefined:
        out("Usage:\n  pulumi [command]");
        exitCode = NEW_EXIT_CODES ? 1 : 0;
        break;
      default:
        throw new CliError(`unknown command "${command}" for "pulumi"`, EXIT_FAILED);
    }
    return exitCode;
  } catch (error) {
    if (!(error instanceof CliError)) throw error;
    process.stderr.write(`error: ${error.message}\n`);
    return error.exitCode;
  }
}

const argv = process.argv.slice(2);
logInvocation(argv);
try {
  process.exitCode = await main(argv);
} catch (error) {
  process.stderr.write(`stand-in pulumi crashed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 255;
}
