// The clouds a template deploys to: one record per cloud, `clouds/<name>/cloud.json`, beside that
// cloud's own partials and scripts in the same folder. Everything else that differs by cloud (the
// --cloud values, --help, the answers schema, the tables in the workflow and the README, which
// deploy script a project gets) is derived from these records, so adding a cloud is adding its
// folder and its pin (docs/architecture.md). "none" is not a cloud: it is the absence of a record.
// The records are data, not code: a template cannot run anything through them.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TemplateError, type FileRule } from './manifest.js';

export interface CloudRecord {
  /** The --cloud value, and the folder the record lives in. */
  name: string;
  /** Where it sorts among the clouds in --cloud, --help and the schema (ties: by name). */
  order: number;
  /** How people call the cloud: "Google Cloud". */
  label: string;
  /** The container service the API runs on, and the service names it accepts. */
  service: { name: string; plural?: boolean; nameLength: { min: number; max: number } };
  /** The image registry CI pushes to: "Amazon ECR", short "ECR". */
  registry: { name: string; short: string };
  /** Repository (or environment) variables the deploy jobs read; the required ones are checked before any login. */
  variables: { required: string[]; optional: string[] };
  /** CI: the login action (a key of pins.json "actions") and the CLI image (a key of pins.json "cloud"). */
  ci: { loginAction: string; cliImagePin: string };
  /** A laptop's deploy-api task: the CLI login folder under $HOME it mounts, and the variables it passes (with defaults). */
  laptop: { loginFolder: string; variables: Record<string, string> };
  /** template.json rules for the cloud's own files; each applies only when this cloud is chosen. */
  files: FileRule[];
  /**
   * Optional: the object store scripts/data.sh keeps the dataset in (its commands are in
   * clouds/<name>/data-store.sh.ejs): its name, CLI, URL scheme and the variables naming the bucket.
   */
  data?: { store: string; cli: string; scheme: string; variables: string[] };
  /**
   * Optional: the ML platform a training project submits its training job to (issue 21):
   * `scripts/train_in_cloud.py` and its test come from the record's `files`, the SDK from the
   * pyproject's optional `cloud` group; `variables` are the ones the job needs besides the data's.
   */
  training?: { platform: string; job: string; variables: string[] };
}

/** What --cloud, --help and the answers schema need of a record (build.mjs bakes these in). */
export interface CloudChoice {
  name: string;
  label: string;
  hint: string;
}

export const CLOUDS_FOLDER = 'clouds/';
const RECORD = /^clouds\/([^/]+)\/cloud\.json$/;
/** What a cloud's name (its folder, its --cloud value) looks like. */
export const CLOUD_NAME = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;
const VARIABLE = /^[A-Z][A-Z0-9_]*$/;
// A folder below $HOME, as a plain relative path: it is written into YAML and shell unquoted.
const FOLDER = /^[A-Za-z0-9._-]+(?:\/[A-Za-z0-9._-]+)*$/;
// Free text in files that are YAML or Markdown: one line, no template markers, no quotes or backslashes.
const TEXT = /^[^\n\r"'`\\<>%$]{1,60}$/;

/** True for a template path that holds a cloud record. */
export function isCloudRecord(path: string): boolean {
  return RECORD.test(path);
}

/**
 * The records among a template's files, checked and sorted. `read` gives a file's text;
 * `where` names the template in messages.
 */
export function parseCloudRecords(paths: readonly string[], read: (path: string) => string, where: string): CloudRecord[] {
  const records: CloudRecord[] = [];
  for (const path of paths) {
    const folder = RECORD.exec(path)?.[1];
    if (folder === undefined) continue;
    let raw: unknown;
    try {
      raw = JSON.parse(read(path));
    } catch (error) {
      throw new TemplateError(`${where}/${path} is not valid JSON: ${(error as Error).message}`);
    }
    records.push(checkRecord(raw, folder, `${where}/${path}`));
  }
  return records.sort((a, b) => a.order - b.order || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

function checkRecord(raw: unknown, folder: string, file: string): CloudRecord {
  const bad = (field: string, wanted: string): never => {
    throw new TemplateError(`${file}: "${field}" must be ${wanted}`);
  };
  const r = raw as Partial<CloudRecord> & Record<string, unknown>;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) bad('(the file)', 'one JSON object');
  if (r.name !== folder || !CLOUD_NAME.test(folder) || folder === 'none') bad('name', `its folder's name (${folder}), lowercase words joined by hyphens, not "none"`);
  if (typeof r.order !== 'number' || !Number.isFinite(r.order)) bad('order', 'a number');
  const text = (value: unknown, field: string) => (typeof value === 'string' && TEXT.test(value) ? value : bad(field, 'one short line of plain text'));
  text(r.label, 'label');
  text(r.service?.name, 'service.name');
  if (r.service?.plural !== undefined && typeof r.service.plural !== 'boolean') bad('service.plural', 'true or false');
  const length = r.service?.nameLength;
  if (!Number.isInteger(length?.min) || !Number.isInteger(length?.max) || (length?.min as number) < 1 || (length?.min as number) > (length?.max as number)) {
    bad('service.nameLength', 'whole numbers { "min", "max" } with 1 <= min <= max');
  }
  text(r.registry?.name, 'registry.name');
  text(r.registry?.short, 'registry.short');
  const variables = (value: unknown, field: string) =>
    Array.isArray(value) && value.every((v) => typeof v === 'string' && VARIABLE.test(v)) ? value : bad(field, 'a list of variable names (A-Z, 0-9, _)');
  variables(r.variables?.required, 'variables.required');
  variables(r.variables?.optional, 'variables.optional');
  if (typeof r.ci?.loginAction !== 'string' || !/^[\w.-]+\/[\w./-]+$/.test(r.ci.loginAction)) bad('ci.loginAction', 'an action name, owner/repo, as pins.json "actions" lists it');
  if (typeof r.ci?.cliImagePin !== 'string' || !/^\w+$/.test(r.ci.cliImagePin)) bad('ci.cliImagePin', 'the key of its CLI image in pins.json "cloud"');
  const loginFolder = r.laptop?.loginFolder;
  if (typeof loginFolder !== 'string' || !FOLDER.test(loginFolder) || loginFolder.split('/').some((part) => /^\.\.?$/.test(part))) bad('laptop.loginFolder', 'a folder below $HOME, e.g. ".aws"');
  const laptopVariables = r.laptop?.variables;
  if (typeof laptopVariables !== 'object' || laptopVariables === null || Array.isArray(laptopVariables)) bad('laptop.variables', 'an object of variable name to default value');
  for (const [name, fallback] of Object.entries(laptopVariables as object)) {
    if (!VARIABLE.test(name) || typeof fallback !== 'string' || !/^[\w.-]*$/.test(fallback)) bad(`laptop.variables.${name}`, 'a variable name with a plain default (letters, digits, . _ -)');
  }
  if (r.data !== undefined) {
    text(r.data?.store, 'data.store');
    if (typeof r.data?.cli !== 'string' || !/^[a-z][a-z0-9-]*$/.test(r.data.cli)) bad('data.cli', 'the name of a command, e.g. "aws"');
    if (typeof r.data?.scheme !== 'string' || !/^[a-z][a-z0-9+.-]*:\/\/$/.test(r.data.scheme)) bad('data.scheme', 'a URL scheme with "://", e.g. "s3://"');
    variables(r.data?.variables, 'data.variables');
  }
  if (r.training !== undefined) {
    if (r.data === undefined) bad('training', 'left out, or given with "data": the job reads the dataset from that store');
    text(r.training?.platform, 'training.platform');
    text(r.training?.job, 'training.job');
    variables(r.training?.variables, 'training.variables');
  }
  if (!Array.isArray(r.files)) bad('files', 'a list of template.json rules');
  for (const rule of r.files as unknown[]) {
    const f = rule as Partial<FileRule>;
    if (typeof f?.path !== 'string' || (f.to !== undefined && typeof f.to !== 'string') || (f.when !== undefined && (typeof f.when !== 'object' || f.when === null))) {
      bad('files', 'a list of template.json rules ({ "path", "to", "when" })');
    }
    if ((f.when as Record<string, unknown> | undefined)?.cloud !== undefined) bad('files[].when.cloud', 'left out: a record\'s rules apply to its own cloud');
  }
  return raw as CloudRecord;
}

/**
 * template.json rules the records add: the clouds/ folder is never copied as it is, and each
 * record's own rules apply when its cloud is chosen. (manifest.ts checks their paths like any rule.)
 */
export function cloudRules(records: readonly CloudRecord[]): FileRule[] {
  return [
    { path: CLOUDS_FOLDER, skip: true },
    ...records.flatMap((record) => record.files.map((rule) => ({ ...rule, when: { ...rule.when, cloud: record.name } }))),
  ];
}

/** The --cloud choice of each record ("none", which has no record, is the option table's). */
export function cloudChoices(records: readonly CloudRecord[]): CloudChoice[] {
  return records.map((r) => ({ name: r.name, label: r.label, hint: `${r.registry.short} + ${r.service.name}` }));
}

/** The --cloud choices of a template folder's records (src/bundled-clouds.ts, build.mjs). */
export function folderCloudChoices(dir: string): CloudChoice[] {
  const paths = readdirSync(join(dir, CLOUDS_FOLDER), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => `${CLOUDS_FOLDER}${entry.name}/cloud.json`);
  return cloudChoices(parseCloudRecords(paths, (path) => readFileSync(join(dir, path), 'utf8'), dir));
}
