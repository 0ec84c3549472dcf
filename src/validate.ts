// Validation shared by flags, prompts and answers files. Each check returns an error message
// (what is wrong and what is allowed) or undefined.

import { COMMANDS } from './commands/index.js';
import { LOCKED_DISTRIBUTIONS } from './locked-distributions.js';
import { PYTHON_STDLIB } from './python-stdlib.js';

/** What a project name looks like (the other rules are in validateProjectName). */
export const NAME_PATTERN = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;
export const NAME_MAX = 50;

// Names that break the project, each kind with the reason a person is told. The project name is
// also its Python package (hyphens become underscores) and its folder.
const RESERVED: readonly (readonly [reason: string, names: readonly string[]])[] = [
  // `create-ml-project update` must never mean a folder.
  ['a command of this tool', [...Object.keys(COMMANDS), 'help']],
  // Keywords and soft keywords: `import match` is legal only to confuse.
  ['a Python keyword', ['false', 'none', 'true', 'and', 'as', 'assert', 'async', 'await', 'break', 'class', 'continue', 'def', 'del', 'elif', 'else', 'except', 'finally', 'for', 'from', 'global', 'if', 'import', 'in', 'is', 'lambda', 'nonlocal', 'not', 'or', 'pass', 'raise', 'return', 'try', 'while', 'with', 'yield', 'match', 'case', 'type']],
  // The project's package would be imported in place of the module, by the project and its libraries.
  ["a module of Python's standard library", PYTHON_STDLIB],
  // Python's own test suite is `test` (sys.stdlib_module_names leaves test modules out).
  ['the package of Python\'s own test suite', ['test']],
  // A top-level folder of the project is found by `import` from the project root before src/.
  ['a folder or module of the generated project itself', ['tests', 'src', 'training', 'api', 'data', 'notebooks', 'scripts', 'artifacts']],
  // Tools around the project that its locks do not list (the locked dependencies are below).
  ['a tool the project is built with', ['poetry', 'uv', 'pip', 'setuptools', 'wheel', 'batect', 'pytest']],
  // `name: yes` in YAML is true, not "yes".
  ['a word YAML reads as null or a boolean', ['null', 'yes', 'no', 'on', 'off', 'y', 'n']],
  ['a Windows device name', ['con', 'prn', 'aux', 'nul', 'com1', 'com2', 'com3', 'com4', 'com5', 'com6', 'com7', 'com8', 'com9', 'lpt1', 'lpt2', 'lpt3', 'lpt4', 'lpt5', 'lpt6', 'lpt7', 'lpt8', 'lpt9']],
];

// A run checks a name once or twice: the lists are searched as they are, not made into a map or a
// set of ~600 names on every start, which cost a scaffold more than all its searches (bench/README.md).

/** The first rule that lists `name`. */
const ruleListing = (name: string) => RESERVED.find(([, names]) => names.includes(name))?.[0];

/** Why a name is reserved (which rule), or undefined. Hyphens and underscores count the same. */
export function reservedReason(value: string): string | undefined {
  return ruleListing(value) ?? ruleListing(value.replaceAll('-', '_'));
}

// Modules the locked distributions install under another name than their own (project-name
// form). test/e2e/python-project.test.ts checks every module of an installed project's .venv
// is refused; the notebook group, not installed there, is covered by this list alone.
const DEPENDENCY_MODULES = new Map([
  ['argon2', 'argon2-cffi'],
  ['attr', 'attrs'],
  ['bs4', 'beautifulsoup4'],
  ['databricks', 'databricks-sdk'],
  ['dateutil', 'python-dateutil'],
  ['dotenv', 'python-dotenv'],
  ['git', 'gitpython'],
  ['google', 'protobuf'],
  ['ipykernel-launcher', 'ipykernel'],
  ['jupyter', 'jupyter-core'],
  ['mlflow', 'mlflow-skinny'],
  ['multipart', 'python-multipart'],
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

/**
 * The dependency a project of this name would collide with, if any. A project named like a
 * distribution it installs would stand in for that distribution (the installer sees the dependency
 * as already there: a project called scikit-learn never gets scikit-learn), and its package would
 * be imported in place of a module of the same name.
 */
export function collidingDependency(value: string): string | undefined {
  if (LOCKED_DISTRIBUTIONS.includes(value)) return value;
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
  const reason = reservedReason(value);
  if (reason) return `is reserved: ${value} is ${reason}; pick a more specific name`;
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
