// template.json: which source files a combination of answers gets, and under which name.
// The rules are data, not code, so a remote template cannot run anything through them.
// See docs/template-contract.md.

import { join } from 'node:path';

export interface FileRule {
  path: string;
  when?: Record<string, unknown>;
  /** The rule fails when every answer here matches (the same matching as `when`). */
  unless?: Record<string, unknown>;
  to?: string;
  skip?: boolean;
}

export interface TemplateManifest {
  name: string;
  version: string;
  files: FileRule[];
}

/** A template that cannot be used as it is (its files, not this tool, are at fault). */
export class TemplateError extends Error {}

/** JSON.parse, failing with the file's name and the parser's reason. */
function parseJson(text: string, file: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new TemplateError(`${file} is not valid JSON: ${(error as Error).message}`);
  }
}

/** Files at the template root that configure the generator and are never copied. */
export const META_FILES = new Set(['template.json', 'pins.json']);

/** Checks template.json's text (`where` names the template in messages). */
export function parseManifest(text: string | undefined, where: string): TemplateManifest {
  if (text === undefined) throw new TemplateError(`${where} has no template.json`);
  const raw = parseJson(text, join(where, 'template.json')) as Partial<TemplateManifest>;
  if (typeof raw !== 'object' || raw === null || typeof raw.name !== 'string' || typeof raw.version !== 'string' || !Array.isArray(raw.files)) {
    throw new TemplateError(`${join(where, 'template.json')} needs "name", "version" and "files"`);
  }
  for (const rule of raw.files) checkRule(rule, join(where, 'template.json'));
  return raw as TemplateManifest;
}

/** A rule's paths stay inside the template and the project (`file` names where the rule is written). */
export function checkRule(rule: FileRule, file: string): void {
  if (typeof rule?.path !== 'string' || rule.path.startsWith('/') || rule.path.split('/').includes('..')) {
    throw new TemplateError(`${file}: bad rule path ${JSON.stringify(rule?.path)}`);
  }
  if (rule.to !== undefined && (typeof rule.to !== 'string' || rule.to.startsWith('/') || rule.to.split('/').includes('..'))) {
    throw new TemplateError(`${file}: bad rule target ${JSON.stringify(rule.to)}`);
  }
  if (rule.unless !== undefined && (typeof rule.unless !== 'object' || rule.unless === null || Array.isArray(rule.unless))) {
    throw new TemplateError(`${file}: the "unless" of rule ${JSON.stringify(rule.path)} must be an object of answers`);
  }
}

/** pins.json's values; a template without one has none. */
export function parsePins(text: string | undefined, where: string): Record<string, unknown> {
  if (text === undefined) return {};
  const pins = parseJson(text, join(where, 'pins.json'));
  if (typeof pins !== 'object' || pins === null || Array.isArray(pins)) throw new TemplateError(`${join(where, 'pins.json')} must hold one JSON object`);
  return pins as Record<string, unknown>;
}

/**
 * A project's answers (options.ts's Answers) as rules read them: by key, whatever the key. Not the
 * Answers type itself: the option table reads the bundled template's cloud records through this
 * module, so importing the table here would close an import cycle.
 */
type RuleAnswers = object;

function matches(when: Record<string, unknown>, answers: RuleAnswers): boolean {
  for (const key in when) {
    const wanted = when[key];
    const actual = (answers as unknown as Record<string, unknown>)[key];
    const accepted = Array.isArray(wanted) ? wanted : [wanted];
    if (Array.isArray(actual) ? !accepted.some((w) => actual.includes(w)) : !accepted.includes(actual)) return false;
  }
  return true;
}

interface RuleIndex {
  exact: Map<string, FileRule>;
  /** Folder rules ("…/"), longest first. */
  folders: FileRule[];
}

// Every file of a template asks for its rule, so the rules are indexed once per manifest.
const indexes = new WeakMap<TemplateManifest, RuleIndex>();

function indexOf(manifest: TemplateManifest): RuleIndex {
  let index = indexes.get(manifest);
  if (!index) {
    const exact = new Map<string, FileRule>();
    const folders: FileRule[] = [];
    for (const rule of manifest.files) {
      if (rule.path.endsWith('/')) folders.push(rule);
      // Two rules for one path: the first decides, as it did when rules were scanned in order.
      else if (!exact.has(rule.path)) exact.set(rule.path, rule);
    }
    // Stable sort: among folder rules of one length, the first in the file decides.
    folders.sort((a, b) => b.path.length - a.path.length);
    indexes.set(manifest, (index = { exact, folders }));
  }
  return index;
}

/** The rule for `path`: the longest rule covering it (a folder rule "…/" covers what is below it). */
function ruleFor(manifest: TemplateManifest, path: string): FileRule | undefined {
  const { exact, folders } = indexOf(manifest);
  // A file's own rule is longer than any folder rule covering it.
  return exact.get(path) ?? folders.find((rule) => path.startsWith(rule.path));
}

/**
 * Where the source file `path` goes for these answers: its target path (still with `.ejs` and
 * `__pkg__`), or undefined when this combination does not get it. The longest covering rule decides.
 */
export function targetOf(manifest: TemplateManifest, path: string, answers: RuleAnswers): string | undefined {
  if (META_FILES.has(path)) return undefined;
  const rule = ruleFor(manifest, path);
  if (!rule) return path;
  if (rule.skip || (rule.when && !matches(rule.when, answers)) || (rule.unless && matches(rule.unless, answers))) return undefined;
  if (rule.to === undefined) return path;
  return rule.path.endsWith('/') ? rule.to + path.slice(rule.path.length) : rule.to;
}
