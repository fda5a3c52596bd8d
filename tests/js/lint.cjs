#!/usr/bin/env node
// bpmnlint through its Node API, for tests/support/bpmnlint.py.
//
// Why not parse the `bpmnlint` CLI? Its output is a colored table meant for people; this script
// lints with the very same parts (bpmn-moddle import, Linter, NodeResolver, the project's
// .bpmnlintrc with its moddle extensions) and prints JSON, and it lints many files in one Node
// start-up, which keeps the test suite quick.
//
// Usage: node tests/js/lint.cjs FILE.bpmn...   (or "-" to read one diagram from stdin)
// Prints: [{"file": "...", "issues": [{"rule", "id", "message", "category", "path"}]}]
// Import warnings and parse errors are reported as errors with rule "import", like the CLI does;
// an unreadable file as an error with rule "read".
'use strict';

const { readFileSync } = require('node:fs');
const path = require('node:path');

const { createRequire } = require('node:module');

// Resolve packages from the repository root, whatever the caller's working directory.
const ROOT = path.resolve(__dirname, '..', '..');
const rootRequire = createRequire(path.join(ROOT, 'package.json'));
const { BpmnModdle } = rootRequire('bpmn-moddle');
const Linter = rootRequire('bpmnlint/lib/linter');
const NodeResolver = rootRequire('bpmnlint/lib/resolver/node-resolver');

const CATEGORY = { warn: 'warning', error: 'error', info: 'info' };

function loadConfig(scopedRequire) {
  const config = JSON.parse(readFileSync(path.join(ROOT, '.bpmnlintrc'), 'utf8'));
  const extensions = {};
  for (const [key, ref] of Object.entries(config.moddleExtensions || {})) {
    extensions[key] = scopedRequire(ref);
  }
  return { config, extensions };
}

async function lintXml(xml, linter, moddle) {
  const issues = [];
  let root;
  try {
    const result = await moddle.fromXML(xml);
    root = result.rootElement;
    for (const w of result.warnings || []) {
      issues.push({
        rule: 'import', id: (w.element && w.element.id) || '',
        message: 'Import warning: ' + String(w.message).split('\n')[0], category: 'error', path: null
      });
    }
  } catch (err) {
    issues.push({
      rule: 'import', id: '', message: 'Parse error: ' + String(err.message).split('\n')[0],
      category: 'error', path: null
    });
    return issues;
  }
  const reports = await linter.lint(root);
  for (const [rule, list] of Object.entries(reports)) {
    for (const r of list) {
      issues.push({
        rule: r.name || rule, id: r.id || '', message: r.message,
        category: CATEGORY[r.category] || r.category, path: r.path || null
      });
    }
  }
  return issues;
}

async function main() {
  const files = process.argv.slice(2);
  if (!files.length) {
    process.stderr.write('usage: lint.cjs FILE.bpmn... | -\n');
    process.exit(2);
  }
  const scopedRequire = rootRequire;
  const { config, extensions } = loadConfig(scopedRequire);
  delete config.moddleExtensions;
  const moddle = new BpmnModdle(extensions);
  const out = [];
  for (const file of files) {
    let xml;
    try {
      xml = readFileSync(file === '-' ? 0 : file, 'utf8');
    } catch (err) {
      out.push({ file, issues: [{
        rule: 'read', id: '', message: 'Cannot read file: ' + err.code, category: 'error', path: null
      }] });
      continue;
    }
    // A fresh Linter per diagram: some rules (no-duplicate-sequence-flows) keep state in the
    // rule instance, and the Linter caches rule instances, so sharing it leaks one diagram's
    // flows into the next (the bpmnlint CLI also builds one Linter per file).
    const linter = new Linter({ config, resolver: new NodeResolver({ require: scopedRequire }) });
    out.push({ file, issues: await lintXml(xml, linter, moddle) });
  }
  process.stdout.write(JSON.stringify(out));
}

main().catch((err) => {
  process.stderr.write(String(err && err.stack || err) + '\n');
  process.exit(1);
});
