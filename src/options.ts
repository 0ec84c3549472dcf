// The one declarative option table. The argument parser (args.ts), the prompts (steps/ask.ts),
// --help (help.ts), validation (validate.ts) and the recorded answers all read this table, so a
// new question is one entry here and nothing else.

import { BUNDLED_CLOUDS } from './bundled-clouds.js';
import type { Option } from './option-kinds.js';
import { CLOUD_NAME } from './template/clouds.js';
import { notEmpty, TEMPLATE_OPTIONS, type TemplateFlags } from './template-options.js';
import { validateProjectName } from './validate.js';

export type { BooleanOption, Choice, ChoiceOption, ListOption, Option, TextOption } from './option-kinds.js';

/** The project name, and so the folder, when neither a folder nor --name is given. */
export const DEFAULT_NAME = 'ml-project';
export const OS_VALUES = ['mac', 'linux', 'windows'] as const;
/** "none", then the bundled template's clouds (template/clouds/<name>/cloud.json, bundled-clouds.ts). */
export const CLOUD_VALUES: readonly string[] = ['none', ...BUNDLED_CLOUDS.map((c) => c.name)];
export const RUNNER_VALUES = ['batect', 'compose'] as const;
export const PYTHON_VALUES = ['3.12', '3.13', '3.14'] as const;
export const PM_VALUES = ['poetry', 'uv'] as const;
export const AUTOMERGE_VALUES = ['patch', 'minor', 'off'] as const;
export const TRACKING_VALUES = ['mlflow', 'none'] as const;

export type Os = (typeof OS_VALUES)[number];
/** "none" or the name of one of the template's cloud records. */
export type Cloud = string;
export type Runner = (typeof RUNNER_VALUES)[number];
export type PythonVersion = (typeof PYTHON_VALUES)[number];
export type PackageManager = (typeof PM_VALUES)[number];
export type Automerge = (typeof AUTOMERGE_VALUES)[number];
export type Tracking = (typeof TRACKING_VALUES)[number];

/** What a project is made of: recorded in the answers file, replayable. */
export interface Answers {
  name: string;
  os: Os[];
  cloud: Cloud;
  api: boolean;
  training: boolean;
  tracking: Tracking;
  runner: Runner;
  python: PythonVersion;
  packageManager: PackageManager;
  automerge: Automerge;
}

/** How this run behaves; never recorded. */
export interface RunFlags extends TemplateFlags {
  git: boolean;
  install: boolean;
  force: boolean;
  yes: boolean;
  help: boolean;
  version: boolean;
  color: boolean;
  dryRun: boolean;
  json: boolean;
  /** --answers: replay a recorded answers file. */
  answersFile?: string;
}

export const OPTIONS: readonly Option[] = [
  {
    key: 'name',
    flag: 'name',
    kind: 'text',
    answer: true,
    help: 'project name: lowercase letters, digits and single hyphens, starting with a letter, at most 50; not a Python keyword or module, nor a dependency of the project (default: the folder name)',
    prompt: 'Project name (also the folder and the Python distribution name)',
    metavar: 'name',
    placeholder: 'loan-default-model',
    validate: validateProjectName,
  },
  {
    key: 'os',
    flag: 'os',
    kind: 'list',
    answer: true,
    help: 'comma list of the OSes your team develops on; one go script and README section each',
    prompt: 'Which operating systems does your team develop on?',
    choices: [
      { value: 'mac', label: 'macOS', hint: 'Homebrew' },
      { value: 'linux', label: 'Linux', hint: 'Ubuntu/Debian, apt' },
      { value: 'windows', label: 'Windows', hint: 'winget' },
    ],
    default: ['mac', 'linux', 'windows'],
  },
  {
    key: 'cloud',
    flag: 'cloud',
    kind: 'choice',
    answer: true,
    help: 'where CI/CD deploys the image (none publishes to GHCR only)',
    prompt: 'Which cloud does it deploy to?',
    choices: [
      { value: 'none', label: 'None', hint: 'publish the image to GHCR, no deploy' },
      ...BUNDLED_CLOUDS.map((c) => ({ value: c.name, label: c.label, hint: c.hint })),
    ],
    default: 'none',
    // A --template brings its own clouds: with one, --cloud is checked once it is read (steps/cloud.ts).
    fromTemplate: CLOUD_NAME,
  },
  {
    key: 'api',
    flag: 'api',
    kind: 'boolean',
    answer: true,
    help: 'serve the model over HTTP with FastAPI',
    prompt: 'Serve the model over HTTP (FastAPI)?',
    default: true,
  },
  {
    key: 'training',
    flag: 'training',
    kind: 'boolean',
    answer: true,
    help: 'training pipeline in the repository and in CI',
    prompt: 'Train the model in this repository (pipeline, metrics test, CI job)?',
    default: true,
  },
  {
    key: 'tracking',
    flag: 'tracking',
    kind: 'choice',
    answer: true,
    help: 'log training runs and register models with MLflow (in the project, or your server: MLFLOW_TRACKING_URI)',
    prompt: 'Track training runs and register models with MLflow?',
    choices: [
      { value: 'mlflow', label: 'MLflow', hint: 'in the project, or your server' },
      { value: 'none', label: 'None', hint: 'metrics.json only' },
    ],
    default: 'mlflow',
  },
  {
    key: 'runner',
    flag: 'runner',
    kind: 'choice',
    answer: true,
    help: 'task runner for the dev container',
    prompt: 'Which task runner drives the dev container?',
    choices: [
      { value: 'batect', label: 'batect', hint: 'as in the book Effective Machine Learning Teams; archived upstream, needs Java' },
      { value: 'compose', label: 'Docker Compose', hint: 'no Java, maintained' },
    ],
    default: 'batect',
  },
  {
    key: 'python',
    flag: 'python',
    kind: 'choice',
    answer: true,
    help: 'Python version of the images',
    prompt: 'Which Python version runs in the images?',
    choices: [
      { value: '3.12', label: '3.12', hint: 'security fixes only' },
      { value: '3.13', label: '3.13' },
      { value: '3.14', label: '3.14', hint: 'newest' },
    ],
    default: '3.13',
  },
  {
    key: 'packageManager',
    flag: 'package-manager',
    kind: 'choice',
    answer: true,
    help: 'Python package manager',
    prompt: 'Which package manager installs the Python dependencies?',
    choices: [
      { value: 'poetry', label: 'Poetry 2', hint: 'as in the book Effective Machine Learning Teams' },
      { value: 'uv', label: 'uv', hint: 'fastest' },
    ],
    default: 'poetry',
  },
  {
    key: 'automerge',
    flag: 'automerge',
    kind: 'choice',
    answer: true,
    help: 'Dependabot updates merged automatically once CI is green',
    prompt: 'Which Dependabot updates may merge by themselves once CI is green?',
    choices: [
      { value: 'patch', label: 'patch', hint: 'x.y.Z' },
      { value: 'minor', label: 'patch and minor', hint: 'x.Y.z' },
      { value: 'off', label: 'none', hint: 'review every update' },
    ],
    default: 'patch',
  },
  {
    key: 'git',
    flag: 'git',
    kind: 'boolean',
    answer: false,
    help: 'initialise a git repository and make the first commit',
    default: true,
  },
  {
    key: 'install',
    flag: 'install',
    kind: 'boolean',
    answer: false,
    help: 'run the first setup: virtualenv and locked dependencies',
    default: true,
  },
  {
    key: 'force',
    flag: 'force',
    kind: 'boolean',
    answer: false,
    help: 'write into a non-empty folder; files already there are never changed or deleted',
    default: false,
  },
  {
    key: 'answersFile',
    flag: 'answers',
    kind: 'text',
    answer: false,
    metavar: 'file',
    help: 'replay the answers recorded in a project (.create-ml-project.json; - reads them from standard input); flags given too win',
    validate: notEmpty('a file path'),
  },
  ...TEMPLATE_OPTIONS,
  {
    key: 'dryRun',
    flag: 'dry-run',
    kind: 'boolean',
    answer: false,
    help: 'print the files and setup steps a run would make; write nothing',
    default: false,
  },
  {
    key: 'json',
    flag: 'json',
    kind: 'boolean',
    answer: false,
    help: 'print one JSON object with the outcome (success or error) on stdout; never prompts',
    default: false,
  },
  {
    key: 'yes',
    flag: 'yes',
    short: 'y',
    kind: 'boolean',
    answer: false,
    help: 'accept defaults for everything not given',
    default: false,
  },
  {
    key: 'help',
    flag: 'help',
    short: 'h',
    kind: 'boolean',
    answer: false,
    help: 'show this help',
    default: false,
  },
  {
    key: 'version',
    flag: 'version',
    short: 'v',
    kind: 'boolean',
    answer: false,
    help: 'show the version',
    default: false,
  },
  {
    key: 'color',
    flag: 'color',
    kind: 'boolean',
    answer: false,
    help: 'colour on a terminal; --no-color, NO_COLOR or TERM=dumb give none, --color or FORCE_COLOR give it even into a pipe',
    default: true,
  },
];

export const ANSWER_OPTIONS = OPTIONS.filter((o) => o.answer);

export function optionByKey(key: string): Option {
  const option = OPTIONS.find((o) => o.key === key);
  if (!option) throw new Error(`no option ${key}`);
  return option;
}

/** This run's switches as the table defaults them. */
export function defaultRunFlags(): RunFlags {
  const flags: Record<string, unknown> = {};
  for (const o of OPTIONS) if (!o.answer && o.kind === 'boolean') flags[o.key] = o.default;
  return flags as unknown as RunFlags;
}

/** The default answers, given the name (which has no static default). */
export function defaultAnswers(name: string): Answers {
  const answers: Record<string, unknown> = { name };
  for (const o of ANSWER_OPTIONS) if (o.kind !== 'text') answers[o.key] = Array.isArray(o.default) ? [...o.default] : o.default;
  return answers as unknown as Answers;
}
