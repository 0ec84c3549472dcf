// Checks for rendered files that many combinations share: what kind of file a path is, a
// structural parse (YAML, JSON, TOML), and batched runs of the external linters over files
// deduplicated by content. Used by test/matrix/option-matrix.test.ts and test/fuzz/.
//
// External tools (all optional on the caller's side, each check reports when its tool is missing):
//   python3 >= 3.11 (tomllib, compile), bash, shellcheck (.ci/tools.d/10-lint-tools.sh),
//   hadolint (.ci/tools.d/50-matrix-tools.sh), blinter (.ci/tools.d/10-lint-tools.sh).

import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Ajv, type SchemaObject } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { parseDocument } from 'yaml';
import { ROOT } from './cli.js';

export const TOOLS = {
  shellcheck: 'shellcheck',
  hadolint: join(ROOT, '.tools/bin/hadolint'),
  blinter: join(ROOT, '.tools/venv-lint/bin/blinter'),
};
// ajv-formats is CommonJS with a `default` export; under NodeNext the default import is the module.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: Ajv) => Ajv;

/**
 * The JSON schemas the tests validate generated files against (SchemaStore's and batect's),
 * vendored in the repository: the one place every test reads them from. Provenance, checksums
 * and how to refresh them: test/fixtures/schemas/README.md.
 */
export const SCHEMAS_DIR = join(ROOT, 'test', 'fixtures', 'schemas');

/** One vendored schema, parsed; throws a clear error when the file is not there (never a skip). */
export function readSchema(file: string): SchemaObject {
  const path = join(SCHEMAS_DIR, file);
  if (!existsSync(path)) {
    throw new Error(`schema ${file} is missing from ${SCHEMAS_DIR}: it is vendored with the tests (see test/fixtures/schemas/README.md)`);
  }
  return JSON.parse(readFileSync(path, 'utf8')) as SchemaObject;
}

export type Kind = 'yaml' | 'json' | 'toml' | 'python' | 'shell' | 'dockerfile' | 'batch' | 'other';

export function sha(content: Buffer | string): string {
  return createHash('sha256').update(content).digest('hex');
}

/** What kind of file a project path is, by name and (for extensionless scripts) by shebang. */
export function kindOf(path: string, content: Buffer): Kind {
  const base = path.split('/').pop() ?? path;
  if (/\.ya?ml$/.test(base)) return 'yaml';
  if (/\.(json|ipynb)$/.test(base)) return 'json';
  if (/\.toml$/.test(base) || base === 'poetry.lock' || base === 'uv.lock') return 'toml';
  if (/\.py$/.test(base)) return 'python';
  if (/\.sh$/.test(base)) return 'shell';
  if (base === 'Dockerfile' || /\.Dockerfile$/.test(base)) return 'dockerfile';
  if (/\.(bat|cmd)$/i.test(base)) return 'batch';
  if (!base.includes('.') && /^#!\s*(\/usr\/bin\/env\s+(ba)?sh|\/bin\/(ba)?sh)\b/.test(content.subarray(0, 64).toString('utf8'))) return 'shell';
  return 'other';
}

/** Parses YAML strictly (duplicate keys are errors) and returns the plain value, or throws.
 * version '1.1' reads it as YAML 1.1 parsers do (yes/no/on/off are booleans). */
/** The NAMEs of every `vars.NAME` (a GitHub repository variable) in a value: a workflow's text, a parsed job. */
export function varsIn(value: unknown): Set<string> {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return new Set([...text.matchAll(/\bvars\.([A-Z0-9_]+)/g)].map((m) => m[1]!));
}

export function parseYaml(text: string, version: '1.1' | '1.2' = '1.2'): unknown {
  const doc = parseDocument(text, { uniqueKeys: true, prettyErrors: false, version });
  if (doc.errors.length > 0) throw new Error(doc.errors.map((e) => e.message.split('\n')[0]).join('; '));
  return doc.toJS();
}

export function run(cmd: string, args: readonly string[], options: { cwd?: string; input?: string } = {}): SpawnSyncReturns<string> {
  return spawnSync(cmd, args, { cwd: options.cwd, input: options.input, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
}

export function toolMissing(cmd: string): boolean {
  const r = spawnSync(cmd, ['--version'], { encoding: 'utf8' });
  return r.error !== undefined;
}

const PY_BATCH = String.raw`
import json, sys, tomllib, datetime
req = json.load(sys.stdin)
out = {"toml": {}, "python": {}}
def plain(v):
    if isinstance(v, dict): return {k: plain(x) for k, x in v.items()}
    if isinstance(v, list): return [plain(x) for x in v]
    if isinstance(v, (datetime.date, datetime.time, datetime.datetime)): return v.isoformat()
    return v
for path in req["toml"]:
    try:
        with open(path, "rb") as f:
            data = tomllib.load(f)
        out["toml"][path] = {"ok": True, "value": plain(data) if req.get("values") else None}
    except Exception as e:
        out["toml"][path] = {"ok": False, "error": f"{type(e).__name__}: {e}"}
for path in req["python"]:
    try:
        with open(path, "rb") as f:
            compile(f.read(), path, "exec", dont_inherit=True)
        out["python"][path] = {"ok": True}
    except SyntaxError as e:
        out["python"][path] = {"ok": False, "error": f"line {e.lineno}: {e.msg}"}
    except Exception as e:
        out["python"][path] = {"ok": False, "error": f"{type(e).__name__}: {e}"}
json.dump(out, sys.stdout)
`;

export interface PyBatchResult {
  toml: Record<string, { ok: boolean; error?: string; value?: unknown }>;
  python: Record<string, { ok: boolean; error?: string }>;
}

/** One python3 call: parses every TOML file with tomllib and compiles every Python file. */
export function pythonBatch(toml: readonly string[], python: readonly string[], values = false): PyBatchResult {
  const r = run('python3', ['-c', PY_BATCH], { input: JSON.stringify({ toml, python, values }) });
  if (r.status !== 0) throw new Error(`python3 batch failed (${r.status}): ${r.stderr}`);
  return JSON.parse(r.stdout) as PyBatchResult;
}

/** Writes `content` under `dir` at a path named after its hash (keeping the extension) and returns it. */
export function writeByHash(dir: string, name: string, content: Buffer): string {
  const ext = /\.[A-Za-z0-9]+$/.exec(name)?.[0] ?? '';
  const path = join(dir, `${sha(content).slice(0, 16)}-${name.replace(/[^A-Za-z0-9._-]/g, '_')}`);
  if (!path.endsWith(ext)) throw new Error('unreachable');
  if (!existsSync(path)) {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, content);
  }
  return path;
}

/** JSON-schema validator for one of the vendored schemas (draft-07, no external $refs). */
export function schemaValidator(file: string): (value: unknown) => string[] {
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  const validate = ajv.compile(readSchema(file));
  return (value) => {
    if (validate(value)) return [];
    return (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message}${e.params && 'additionalProperty' in e.params ? ` '${String(e.params.additionalProperty)}'` : ''}`);
  };
}

/** Blinter findings that are accepted, each with its reason (same policy as test/e2e/dev-workflow). */
export const BLINTER_ACCEPTED: { code: string; line: RegExp; why: string }[] = [
  { code: 'SEC014', line: /%\*/, why: 'wrappers hand all their arguments on unchanged, by design' },
  { code: 'SEC011', line: /^cd \/d "%~dp0\.\.\\\.\."$/, why: 'go-windows.bat moves to its own project folder' },
];

/** Blinter errors and security findings for one batch file (others are style advice). */
export function blinterProblems(file: string): string[] {
  const r = run(TOOLS.blinter, ['--no-config', '--format', 'json', file]);
  let report: { issues: { line: number; code: string; severity: string; context: string }[] };
  try {
    report = JSON.parse(r.stdout);
  } catch {
    return [`blinter gave no JSON (exit ${r.status}): ${r.stderr.slice(0, 300)}`];
  }
  const lines = readFileSync(file, 'utf8').split('\r\n');
  const problems: string[] = [];
  for (const issue of report.issues) {
    if (issue.severity !== 'Error' && issue.severity !== 'Security') continue;
    const text = (lines[issue.line - 1] ?? '').trim();
    if (BLINTER_ACCEPTED.some((a) => a.code === issue.code && a.line.test(text))) continue;
    problems.push(`line ${issue.line} ${issue.code} ${issue.severity}: ${issue.context} | ${text}`);
  }
  return problems;
}
