#!/usr/bin/env node
// Checks that a release tag, package.json's version and CHANGELOG.md agree, before anything is
// published (.github/workflows/release.yml, job "verify"). Plain Node, no dependencies.
//
// Usage: node tools/check-release.mjs <tag> [--notes] [--repository owner/name] [--dir <folder>]
//   <tag>         the pushed tag, vX.Y.Z (X.Y.Z without the v is accepted too)
//   --notes       on success print the body of the CHANGELOG section (the release notes) instead
//                 of the summary line
//   --repository  also check that package.json's repository.url names this GitHub repository
//                 (npm refuses a provenance statement whose repository does not match)
//   --dir         folder holding package.json and CHANGELOG.md (default: this repository)
// Exit 0 when everything agrees; 1 with one line per mismatch on stderr; 2 for a usage error.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const NAME = 'check-release';
const USAGE = `usage: node tools/check-release.mjs <tag> [--notes] [--repository owner/name] [--dir <folder>]`;
const VERSION = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$/;

function usage(message) {
  process.stderr.write(`${NAME}: ${message}\n${USAGE}\n`);
  process.exit(2);
}

function parseArgs(argv) {
  const args = { tag: undefined, notes: false, repository: undefined, dir: fileURLToPath(new URL('..', import.meta.url)) };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--notes') args.notes = true;
    else if (arg === '--repository' || arg === '--dir') {
      const value = argv[++i];
      if (!value || value.startsWith('-')) usage(`${arg} needs a value`);
      if (arg === '--dir') args.dir = resolve(value);
      else args.repository = value;
    } else if (arg === '-h' || arg === '--help') {
      process.stdout.write(`${USAGE}\n`);
      process.exit(0);
    } else if (arg.startsWith('-')) usage(`unknown option ${arg}`);
    else if (args.tag === undefined) args.tag = arg;
    else usage(`unexpected argument ${arg}`);
  }
  if (args.tag === undefined) usage('the tag is missing');
  return args;
}

/** A real calendar date written YYYY-MM-DD. */
function isDate(text) {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const d = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === text;
}

/** The `## ` sections of a changelog: heading line, its bracketed name, and the body lines. */
function sections(text) {
  const out = [];
  for (const line of text.split(/\r?\n/)) {
    if (/^##\s/.test(line)) out.push({ heading: line.trim(), name: /^##\s+\[([^\]]+)\]/.exec(line)?.[1], body: [] });
    else out.at(-1)?.body.push(line);
  }
  return out;
}

/** Section body as release notes: trimmed, without the link definitions that close the file. */
function notesOf(body) {
  const lines = [...body];
  const blank = (l) => l.trim() === '';
  const linkDefinition = (l) => /^\[[^\]]+\]:\s*\S+/.test(l);
  while (lines.length && (blank(lines.at(-1)) || linkDefinition(lines.at(-1)))) lines.pop();
  while (lines.length && blank(lines[0])) lines.shift();
  return lines.join('\n');
}

/** owner/name from a package.json repository field (string or object), or undefined. */
function githubRepository(field) {
  const url = typeof field === 'string' ? field : field?.url;
  if (typeof url !== 'string') return undefined;
  const m = /^(?:github:|git\+https:\/\/github\.com\/|https:\/\/github\.com\/|git:\/\/github\.com\/|git@github\.com:|ssh:\/\/git@github\.com\/)?([\w.-]+\/[\w.-]+?)(?:\.git)?\/?$/.exec(url);
  return m ? m[1] : undefined;
}

const args = parseArgs(process.argv.slice(2));
const problems = [];
const version = args.tag.replace(/^v/, '');
if (!VERSION.test(version)) problems.push(`tag ${args.tag} is not a release tag of the form vX.Y.Z`);

let pkg;
try {
  pkg = JSON.parse(readFileSync(join(args.dir, 'package.json'), 'utf8'));
} catch (error) {
  problems.push(`package.json cannot be read: ${error.code === 'ENOENT' ? 'no such file' : error.message}`);
}
if (pkg && pkg.version !== version) problems.push(`package.json version is ${pkg.version ?? '(missing)'} but the tag ${args.tag} says ${version}`);
if (pkg && args.repository) {
  const found = githubRepository(pkg.repository);
  const wanted = `https://github.com/${args.repository}`;
  if (!found) problems.push(`package.json has no GitHub repository.url; npm provenance needs it to be git+${wanted}.git`);
  else if (found.toLowerCase() !== args.repository.toLowerCase()) problems.push(`package.json repository.url names ${found} but this is ${args.repository}; npm provenance needs them to match`);
}

let changelog;
try {
  changelog = readFileSync(join(args.dir, 'CHANGELOG.md'), 'utf8');
} catch (error) {
  problems.push(`CHANGELOG.md cannot be read: ${error.code === 'ENOENT' ? 'no such file' : error.message}`);
}
let section;
if (changelog !== undefined) {
  const all = sections(changelog);
  const matching = all.filter((s) => s.name === version);
  const wanted = `## [${version}] - YYYY-MM-DD`;
  if (matching.length === 0) {
    const named = all.map((s) => s.name).filter(Boolean);
    const hint = named.length === 1 && /^unreleased$/i.test(named[0])
      ? ` (it has only ## [Unreleased]: move those entries under ## [${version}] - <date>)`
      : named.length ? ` (it has ${named.map((n) => `[${n}]`).join(', ')})` : '';
    problems.push(`CHANGELOG.md has no section ${wanted} for version ${version}${hint}`);
  } else if (matching.length > 1) {
    problems.push(`CHANGELOG.md has ${matching.length} sections for version ${version}`);
  } else {
    section = matching[0];
    const date = /^##\s+\[[^\]]+\]\s+-\s+(\S+)\s*$/.exec(section.heading)?.[1];
    if (!date || !isDate(date)) problems.push(`CHANGELOG.md heading "${section.heading}" is not of the form ${wanted} with a real date`);
    if (notesOf(section.body) === '') problems.push(`CHANGELOG.md section [${version}] is empty`);
  }
}

if (problems.length) {
  for (const p of problems) process.stderr.write(`${NAME}: ${p}\n`);
  process.exit(1);
}
if (args.notes) process.stdout.write(`${notesOf(section.body)}\n`);
else process.stdout.write(`${NAME}: ${args.tag}, package.json ${pkg.version} and CHANGELOG.md "${section.heading}" agree\n`);
