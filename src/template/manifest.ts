// template.json: which source files a combination of answers gets, and under which name.
// The rules are data, not code, so a remote template cannot run anything through them.
// See docs/template-contract.md.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Answers } from '../options.js';

export interface FileRule {
  path: string;
  when?: Record<string, unknown>;
  to?: string;
  skip?: boolean;
}

export interface TemplateManifest {
  name: string;
  version: string;
  files: FileRule[];
}

/** Files at the template root that configure the generator and are never copied. */
export const META_FILES = new Set(['template.json', 'pins.json']);

export async function readManifest(templateDir: string): Promise<TemplateManifest> {
  const raw = JSON.parse(readFileSync(join(templateDir, 'template.json'), 'utf8')) as Partial<TemplateManifest>;
  if (typeof raw.name !== 'string' || typeof raw.version !== 'string' || !Array.isArray(raw.files)) {
    throw new Error(`${join(templateDir, 'template.json')} needs "name", "version" and "files"`);
  }
  for (const rule of raw.files) {
    if (typeof rule?.path !== 'string' || rule.path.startsWith('/') || rule.path.split('/').includes('..')) {
      throw new Error(`template.json: bad rule path ${JSON.stringify(rule?.path)}`);
    }
    if (rule.to !== undefined && (typeof rule.to !== 'string' || rule.to.startsWith('/') || rule.to.split('/').includes('..'))) {
      throw new Error(`template.json: bad rule target ${JSON.stringify(rule.to)}`);
    }
  }
  return raw as TemplateManifest;
}

export async function readPins(templateDir: string): Promise<Record<string, unknown>> {
  try {
    return JSON.parse(readFileSync(join(templateDir, 'pins.json'), 'utf8')) as Record<string, unknown>;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw error;
  }
}

function covers(rule: FileRule, path: string): boolean {
  return rule.path.endsWith('/') ? path.startsWith(rule.path) : path === rule.path;
}

function matches(when: Record<string, unknown>, answers: Answers): boolean {
  return Object.entries(when).every(([key, wanted]) => {
    const actual = (answers as unknown as Record<string, unknown>)[key];
    const accepted = Array.isArray(wanted) ? wanted : [wanted];
    if (Array.isArray(actual)) return accepted.some((w) => actual.includes(w));
    return accepted.includes(actual);
  });
}

/**
 * Where the source file `path` goes for these answers: its target path (still with `.ejs` and
 * `__pkg__`), or undefined when this combination does not get it. The longest covering rule decides.
 */
export function targetOf(manifest: TemplateManifest, path: string, answers: Answers): string | undefined {
  if (META_FILES.has(path)) return undefined;
  let rule: FileRule | undefined;
  for (const candidate of manifest.files) {
    if (covers(candidate, path) && (!rule || candidate.path.length > rule.path.length)) rule = candidate;
  }
  if (!rule) return path;
  if (rule.skip || (rule.when && !matches(rule.when, answers))) return undefined;
  if (rule.to === undefined) return path;
  return rule.path.endsWith('/') ? rule.to + path.slice(rule.path.length) : rule.to;
}
