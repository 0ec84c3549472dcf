// Validation shared by flags, prompts and answers files. Each check returns an error message
// (what is wrong and what is allowed) or undefined.

import { LOCKED_DISTRIBUTIONS } from './locked-distributions.js';

/** What a project name looks like (the other rules are in validateProjectName). */
export const NAME_PATTERN = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;
export const NAME_MAX = 50;

// Names that break as a Python import package (keywords, common stdlib and tooling modules that
// would be shadowed) or as a Windows file name.
const RESERVED = new Set([
  // Python keywords and soft keywords usable as a package only to confuse
  'false', 'none', 'true', 'and', 'as', 'assert', 'async', 'await', 'break', 'class', 'continue',
  'def', 'del', 'elif', 'else', 'except', 'finally', 'for', 'from', 'global', 'if', 'import', 'in',
  'is', 'lambda', 'nonlocal', 'not', 'or', 'pass', 'raise', 'return', 'try', 'while', 'with',
  'yield', 'match', 'case', 'type',
  // modules a project package must not shadow
  'test', 'tests', 'src', 'site', 'os', 'sys', 'io', 'json', 'csv', 'abc', 'ast', 'code', 'copy',
  'enum', 'math', 'random', 'string', 'types', 'typing', 'logging', 'pathlib', 'email', 'http',
  'socket', 'select', 'signal', 'time', 'datetime', 'collections', 'functools', 'itertools',
  'inspect', 'platform', 'queue', 're', 'secrets', 'shutil', 'subprocess', 'tempfile', 'threading',
  'unittest', 'uuid', 'warnings', 'builtins', 'importlib', 'pickle', 'array', 'numbers', 'statistics',
  'training', 'api',
  // tools around the project that its locks do not list (the locked dependencies are below)
  'poetry', 'uv', 'pip', 'setuptools', 'wheel', 'batect',
  // create-ml-project's own commands (`create-ml-project update` must never mean a folder)
  'update', 'doctor', 'check-update', 'check_update',
  // words YAML reads as null or booleans when written bare (`name: yes` is true, not "yes")
  'null', 'yes', 'no', 'on', 'off', 'y', 'n',
  // Windows device names
  'con', 'prn', 'aux', 'nul', 'com1', 'com2', 'com3', 'com4', 'com5', 'com6', 'com7', 'com8',
  'com9', 'lpt1', 'lpt2', 'lpt3', 'lpt4', 'lpt5', 'lpt6', 'lpt7', 'lpt8', 'lpt9',
]);

// A project named like a distribution it installs would stand in for that distribution (the
// installer sees the dependency as already there: a project called scikit-learn never gets
// scikit-learn), and its package would be imported in place of a module of the same name.
const DEPENDENCIES = new Set(LOCKED_DISTRIBUTIONS);
// Modules the locked distributions install under another name than their own (project-name
// form). test/e2e/python-project.test.ts checks every module of an installed project's .venv
// is refused; the notebook group, not installed there, is covered by this list alone.
const DEPENDENCY_MODULES = new Map([
  ['argon2', 'argon2-cffi'],
  ['attr', 'attrs'],
  ['bs4', 'beautifulsoup4'],
  ['dateutil', 'python-dateutil'],
  ['ipykernel-launcher', 'ipykernel'],
  ['jupyter', 'jupyter-core'],
  ['opentelemetry', 'opentelemetry-api'],
  ['py', 'pytest'],
  ['pythonjsonlogger', 'python-json-logger'],
  ['rpds', 'rpds-py'],
  ['sklearn', 'scikit-learn'],
  ['websocket', 'websocket-client'],
  ['winpty', 'pywinpty'],
  ['yaml', 'pyyaml'],
  ['zmq', 'pyzmq'],
]);

/** The dependency a project of this name would collide with, if any. */
export function collidingDependency(value: string): string | undefined {
  if (DEPENDENCIES.has(value)) return value;
  return DEPENDENCY_MODULES.get(value);
}

/** Why `value` cannot be a project name, or undefined when it can. */
export function validateProjectName(value: string): string | undefined {
  if (value.length === 0) return 'must not be empty';
  if (value.length > NAME_MAX) return `is ${value.length} characters long; at most ${NAME_MAX} are allowed`;
  if (!NAME_PATTERN.test(value)) {
    return 'may use lowercase letters, digits and single hyphens, starting with a letter (e.g. loan-default)';
  }
  const dependency = collidingDependency(value);
  if (dependency) {
    return `is taken by a dependency the project installs (${dependency}); pick a more specific name`;
  }
  if (RESERVED.has(value) || RESERVED.has(value.replaceAll('-', '_'))) {
    return 'is reserved (a Python keyword or module, a YAML keyword, a command of this tool or a Windows device name); pick a more specific name';
  }
  return undefined;
}

/** A project-name suggestion derived from arbitrary text, or undefined when none fits. */
export function suggestProjectName(raw: string): string | undefined {
  const slug = raw
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^[^a-z]+/, '')
    .replace(/-+$/, '')
    .slice(0, NAME_MAX)
    .replace(/-+$/, '');
  return slug && !validateProjectName(slug) ? slug : undefined;
}

/** Python import package for a valid project name. */
export function packageName(name: string): string {
  return name.replaceAll('-', '_');
}
