// The options for a template other than the bundled one: where it comes from (--template, and the
// download cache with --offline and --prefer-offline) and the guards on what it may do
// (--template-hash, --trust). Entries of the one option table (options.ts), which lists them here.

import type { Option } from './option-kinds.js';

/** The run flags (RunFlags in options.ts) these options set. */
export interface TemplateFlags {
  /** --template: a local folder or a remote source instead of the bundled template. */
  template?: string;
  /** --offline / --prefer-offline: the download cache (template/cache.ts) for a remote template. */
  offline: boolean;
  preferOffline: boolean;
  /** --template-hash: the content hash the template must have. */
  templateHash?: string;
  /** --trust: a template other than the bundled one may run its code (else asked, or refused). */
  trust: boolean;
}

/** A text option's check that it was given something. */
export const notEmpty = (what: string) => (value: string) => (value.trim() === '' ? `needs ${what}` : undefined);

export const TEMPLATE_OPTIONS: readonly Option[] = [
  {
    key: 'template',
    flag: 'template',
    kind: 'text',
    answer: false,
    metavar: 'source',
    help: 'render another template: a local folder holding template.json, or a remote source (gh:org/repo/folder#ref, gitlab:, bitbucket:, sourcehut:, https://…/x.tar.gz)',
    validate: notEmpty('a folder or a remote source'),
  },
  {
    key: 'offline',
    flag: 'offline',
    kind: 'boolean',
    answer: false,
    help: 'use only the cached copy of a downloaded --template (the download cache); no network',
    default: false,
  },
  {
    key: 'preferOffline',
    flag: 'prefer-offline',
    kind: 'boolean',
    answer: false,
    help: 'use the cached copy of a downloaded --template when there is one, else download it',
    default: false,
  },
  {
    key: 'templateHash',
    flag: 'template-hash',
    kind: 'text',
    answer: false,
    metavar: 'sha256:hex',
    placeholder: `sha256:${'0'.repeat(64)}`,
    help: "refuse the template unless its content hash is this (the template.hash of a project's .create-ml-project.json)",
    validate: (value) => (/^sha256:[0-9a-f]{64}$/.test(value) ? undefined : 'is not a template hash: use sha256: followed by 64 lowercase hex digits'),
  },
  {
    key: 'trust',
    flag: 'trust',
    kind: 'boolean',
    answer: false,
    help: 'let a template other than the bundled one run its code on this machine (at a terminal you are asked; without one it is refused unless given)',
    default: false,
  },
];
