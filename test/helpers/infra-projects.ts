// The generated projects whose infra/ (Terraform) test/e2e/infra.test.ts and
// configure-github.test.ts check: for each cloud, one with an API (and training) and one that
// trains without an API. Each is rendered with its infra/ parsed by python-hcl2
// (test/helpers/hcl-to-json.py), and read back through the helpers below.
// Tools: .ci/tools.d/45-infra-tools.sh (run here if missing).

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import { renderTo } from './render.js';
import { varsIn } from './file-checks.js';

export const run = promisify(execFile);
export const REPO = fileURLToPath(new URL('../..', import.meta.url));
export const TOOLS = join(REPO, '.tools');
export const CLOUDS = ['aws', 'gcp', 'azure'] as const;
export type Cloud = (typeof CLOUDS)[number];
/** The deploy jobs' GitHub environments. */
export const ENVIRONMENTS = ['staging', 'production'];

/** One generated project with infra/: its cloud, whether it has an API (all of them train). */
export interface Project {
  id: string;
  cloud: Cloud;
  api: boolean;
  dir: string;
  /** infra/'s files, parsed: file name -> HCL. */
  hcl: Record<string, any>;
}

/** Renders the six projects under `root` and parses their infra/ (installing the tools if missing). */
export async function renderInfraProjects(root: string): Promise<Project[]> {
  if (!['terraform', 'checkov'].every((t) => existsSync(join(TOOLS, 'bin', t))) || !existsSync(join(TOOLS, 'terraform-venv/bin/python'))) {
    await run('bash', [join(REPO, '.ci/tools.d/45-infra-tools.sh')], { maxBuffer: 1 << 24 });
  }
  const projects: Project[] = [];
  for (const cloud of CLOUDS) {
    for (const api of [true, false]) {
      const id = `${cloud}-${api ? 'api' : 'training-only'}`;
      const dir = join(root, id);
      await renderTo(dir, { name: 'demo-project', cloud, api, training: true });
      projects.push({ id, cloud, api, dir, hcl: {} });
    }
  }
  const { stdout } = await run(join(TOOLS, 'terraform-venv/bin/python'), [join(REPO, 'test/helpers/hcl-to-json.py'), ...projects.map((p) => join(p.dir, 'infra'))], { maxBuffer: 1 << 24 });
  const parsed = JSON.parse(stdout);
  for (const p of projects) p.hcl = parsed[join(p.dir, 'infra')] ?? {};
  return projects;
}

/** Every block of a type across the files of one infra/: [label(s), body]. */
export function blocks(p: Project, type: 'resource' | 'data' | 'output' | 'variable' | 'locals'): [string, any][] {
  const out: [string, any][] = [];
  for (const file of Object.values(p.hcl))
    for (const entry of file[type] ?? [])
      for (const [label, body] of Object.entries<any>(entry)) {
        if (type === 'resource' || type === 'data') for (const [name, b] of Object.entries<any>(body)) out.push([`${label}.${name}`, b]);
        else out.push([label, body]);
      }
  return out;
}

export function workflow(p: Project, file: string): any {
  return parse(readFileSync(join(p.dir, '.github/workflows', file), 'utf8'));
}

/** The repository variables the project's deploy jobs (with an API) and training job read. */
export function variablesRead(p: Project): Set<string> {
  const ci = workflow(p, 'ci.yml');
  const deploys = p.api ? [...varsIn(ci.jobs['deploy-staging']), ...varsIn(ci.jobs['deploy-production'])] : [];
  assert.equal(p.api, ci.jobs['deploy-staging'] !== undefined, `${p.id}: deploy jobs exactly with an API`);
  return new Set([...deploys, ...varsIn(workflow(p, 'train-in-cloud.yml'))]);
}

/** The GitHub environments whose jobs the project's cloud identities trust. */
export function environmentsOf(p: Project): string[] {
  return [...(p.api ? ENVIRONMENTS : []), 'training'];
}

/** Every string in the parsed HCL that names a GitHub OIDC subject of this repository, with
 * `${each.key}` expanded over its resource's for_each set. */
export function subjects(p: Project): string[] {
  const out: string[] = [];
  const walk = (v: unknown, keys: string[]): void => {
    if (typeof v === 'string' && v.includes('repo:${var.github_repository}')) {
      const subject = v.slice(v.indexOf('repo:'));
      if (subject.includes('${each.key}')) out.push(...keys.map((k) => subject.replaceAll('${each.key}', k)));
      else out.push(subject);
    } else if (Array.isArray(v)) v.forEach((x) => walk(x, keys));
    else if (v && typeof v === 'object') Object.values(v).forEach((x) => walk(x, keys));
  };
  for (const [, body] of [...blocks(p, 'resource'), ...blocks(p, 'data')]) {
    const keys = [...String(body.for_each ?? '').matchAll(/\\?"([a-z]+)\\?"/g)].map((m) => m[1]!);
    walk(body, keys);
  }
  return out.sort();
}
