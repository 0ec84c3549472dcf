// Finds the two templates an update needs: the one the project was generated from (the merge
// base, verified against the hash in the answers file) and the one to update to.

import { stat } from 'node:fs/promises';
import { dirname, isAbsolute, resolve } from 'node:path';
import type { AnswersRecord } from '../answers-file.js';
import { CliError, ExitCode, show } from '../errors.js';
import { packHash } from '../template/hash.js';
import type { TemplateManifest } from '../template/manifest.js';
import { fetchRemote, isRemoteSource } from '../template/remote.js';
import { bundledTemplate, loadTemplate, localTemplate, type TemplateSource } from '../template/source.js';
import { publishedTemplate } from './published.js';

export type SourceKind = 'bundled' | 'local' | 'remote';

export interface LocateOptions {
  cwd: string;
  projectDir: string;
  env: NodeJS.ProcessEnv;
  /** The running create-ml-project's version. */
  version: string;
  signal?: AbortSignal;
  /** Receives each temporary folder a download creates; the caller removes them when done. */
  scratch: (path: string) => void;
}

/** A template with its content hash and template.json. */
export interface LocatedTemplate extends TemplateSource {
  hash: string;
  manifest: TemplateManifest;
}

/** "bundled"; a remote source ("gh:owner/repo", "https://..."); otherwise a local folder. */
export function sourceKind(source: string): SourceKind {
  if (source === 'bundled') return 'bundled';
  return isRemoteSource(source) ? 'remote' : 'local';
}

/**
 * Downloads a remote source. The base prefers the download cache, which may still hold the archive
 * the project was generated from; the target is always fetched fresh.
 */
async function remote(source: string, options: LocateOptions, preferOffline: boolean): Promise<LocatedTemplate> {
  const { dir } = await fetchRemote(source, { offline: false, preferOffline, env: options.env, scratch: options.scratch, ...(options.signal ? { signal: options.signal } : {}) });
  return located({ source, dir });
}

/**
 * A local folder as recorded: the path the user typed, relative to where they ran create. That is
 * usually the project's parent folder, but the user may run update from anywhere.
 */
function localCandidates(spec: string, cwd: string, projectDir: string): string[] {
  if (isAbsolute(spec)) return [spec];
  return [...new Set([resolve(cwd, spec), resolve(dirname(projectDir), spec), resolve(projectDir, spec)])];
}

async function isTemplate(dir: string): Promise<boolean> {
  return stat(resolve(dir, 'template.json')).then((s) => s.isFile(), () => false);
}

async function located(template: TemplateSource): Promise<LocatedTemplate> {
  const pack = loadTemplate(template);
  try {
    // The same object, so rendering it later reuses the pack loaded here.
    return Object.assign(template, { hash: await packHash(pack), manifest: pack.manifest });
  } finally {
    pack.release?.();
  }
}

/** The template that generated the project, byte for byte, or a CliError saying why not. */
export async function baseTemplate(record: AnswersRecord, options: LocateOptions): Promise<LocatedTemplate> {
  const { source, hash } = record.template;
  const kind = sourceKind(source);
  if (kind === 'remote') {
    const found = await remote(source, options, true);
    if (found.hash === hash) return found;
    throw new CliError(`the template ${show(source)} changed since this project was generated (hash differs), so the original files cannot be rebuilt`, ExitCode.templateFetch, [
      'record templates with a fixed #ref (a tag or commit) so the original can be fetched again',
    ]);
  }
  if (kind === 'bundled') {
    const recorded = record.generator.version;
    const same = recorded === options.version;
    const published = same ? undefined : await publishedTemplate(recorded, options.env, options.signal);
    const found = await located(published ? { source: 'bundled', dir: dirname(published), pack: published } : bundledTemplate());
    if (found.hash === hash) return found;
    throw new CliError(
      same
        ? `the bundled template of create-ml-project ${recorded} is not the one this project was generated from (a development build?), so the original files cannot be rebuilt`
        : `create-ml-project@${recorded} from the registry does not hold the template this project was generated from (hash differs)`,
      ExitCode.templateFetch,
    );
  }
  const existing: string[] = [];
  for (const dir of localCandidates(source, options.cwd, options.projectDir)) {
    if (!(await isTemplate(dir))) continue;
    existing.push(dir);
    const found = await located({ source, dir });
    if (found.hash === hash) return found;
  }
  if (existing.length === 0) {
    throw new CliError(`the template folder ${show(source)} this project was generated from is gone, so the original files cannot be rebuilt`, ExitCode.templateFetch);
  }
  throw new CliError(
    `the template folder ${show(source)} changed since this project was generated (hash differs), so the original files cannot be rebuilt`,
    ExitCode.templateFetch,
    ['keep the old template version in its own folder, and pass the new one with --template <folder>'],
  );
}

/**
 * The template to update to: --template when given, else the current state of the recorded
 * source (for a local folder that is the base itself, so only --set changes apply).
 */
export async function targetTemplate(spec: string | undefined, record: AnswersRecord, options: LocateOptions): Promise<LocatedTemplate> {
  const source = spec ?? record.template.source;
  const kind = sourceKind(source);
  if (kind === 'remote') return remote(source, options, false);
  if (kind === 'bundled') return located(bundledTemplate());
  if (spec !== undefined) return located(await localTemplate(spec, options.cwd));
  for (const dir of localCandidates(source, options.cwd, options.projectDir)) {
    if (await isTemplate(dir)) return located({ source, dir });
  }
  throw new CliError(`the template folder ${show(source)} this project was generated from is gone; pass one with --template <folder>`, ExitCode.templateFetch);
}
