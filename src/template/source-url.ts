// Which archive a remote --template names: the provider shorthands (gh:owner/repo/folder#ref,
// gitlab:, bitbucket:, sourcehut:) and plain https:// tarball URLs, turned into one URL to fetch
// and the folder of the archive that holds the template.
//
// Why not giget any more: we used it to resolve and download, but then had to work around all of
// it — its cache (keyed on a file name, shared between sources, written in place), its extraction
// (which ran before our checks) and its error texts. What is left of its job is the table below:
// five URL patterns. Owning them costs a few dozen lines and takes ~110 kB of library out of the
// package. The environment variables keep giget's names (GIGET_AUTH, GIGET_GITHUB_URL,
// GIGET_GITLAB_URL) so existing setups work unchanged. giget's `git:`/`<host>+git:` clones and
// its template registry (any other `name:`) are not supported: they are refused with one line.

import { UsageError, show } from '../errors.js';

/** A "<provider>:" prefix. Two characters at least, so a Windows drive (C:\…) stays local. */
const PROVIDER_PREFIX = /^([\w+.-]{2,}):/;

export function isRemoteSource(spec: string): boolean {
  return PROVIDER_PREFIX.test(spec);
}

export interface RemoteSource {
  /** What is downloaded; also what names the cache entry (cache.ts). */
  url: string;
  headers: Record<string, string>;
  /** Leading folders of the archive to drop (GitHub and GitLab wrap everything in one). */
  strip: number;
  /** The template's folder inside the archive after stripping, e.g. "templates/ml"; "" for all. */
  subdir: string;
}

// owner/repo, then an optional /folder, then an optional #ref (giget's forms, anchored).
const REPO = /^(?<repo>[-\w.]+\/[-\w.]+)(?<subdir>\/[^#]*)?(?:#(?<ref>[-\w./@]+))?$/;
// GitLab groups nest (group/sub/repo), so a folder is given after "::".
const GITLAB_REPO = /^(?<repo>[-\w.]+(?:\/[-\w.]+)+?)(?:::(?<subdir>[^#]*))?(?:#(?<ref>[-\w./@]+))?$/;

const SUPPORTED = 'gh:owner/repo[/folder][#ref], github:, gitlab:, bitbucket:, sourcehut:, an https://…/x.tar.gz URL, or a local folder';

type Provider = (parsed: { repo: string; ref: string }, env: NodeJS.ProcessEnv) => { url: string; headers?: Record<string, string> };

const PROVIDERS: Record<string, { pattern: RegExp; at: Provider }> = {
  github: {
    pattern: REPO,
    at: ({ repo, ref }, env) => ({
      url: `${env.GIGET_GITHUB_URL || 'https://api.github.com'}/repos/${repo}/tarball/${ref}`,
      headers: { accept: 'application/vnd.github+json', 'x-github-api-version': '2022-11-28' },
    }),
  },
  gitlab: { pattern: GITLAB_REPO, at: ({ repo, ref }, env) => ({ url: `${env.GIGET_GITLAB_URL || 'https://gitlab.com'}/${repo}/-/archive/${ref}.tar.gz` }) },
  bitbucket: { pattern: REPO, at: ({ repo, ref }) => ({ url: `https://bitbucket.org/${repo}/get/${ref}.tar.gz` }) },
  sourcehut: { pattern: REPO, at: ({ repo, ref }) => ({ url: `https://git.sr.ht/~${repo}/archive/${ref}.tar.gz` }) },
};
PROVIDERS.gh = PROVIDERS.github as (typeof PROVIDERS)[string];

/** The folder inside the archive, checked: plain names only (the archive's own paths are checked as it is read). */
function folder(spec: string, raw: string | undefined): string {
  const parts = (raw ?? '').split('/').filter(Boolean);
  if (parts.some((p) => p === '.' || p === '..' || p.includes('\\'))) throw new UsageError(`--template ${show(spec)}: the folder must be a plain path inside the repository`);
  return parts.join('/');
}

/** The archive a remote source names; a UsageError (exit 2) for a form we do not support. */
export function resolveSource(spec: string, env: NodeJS.ProcessEnv): RemoteSource {
  const provider = (PROVIDER_PREFIX.exec(spec)?.[1] ?? '').toLowerCase();
  const auth: Record<string, string> = env.GIGET_AUTH ? { authorization: `Bearer ${env.GIGET_AUTH}` } : {};
  if (provider === 'http' || provider === 'https') {
    let url: URL;
    try {
      url = new URL(spec);
    } catch {
      throw new UsageError(`--template ${show(spec)} is not a valid URL; use ${SUPPORTED}`);
    }
    // The fragment never reaches the server: it cannot change what is downloaded.
    url.hash = '';
    return { url: url.href, headers: auth, strip: 1, subdir: '' };
  }
  const known = PROVIDERS[provider];
  if (!known) throw new UsageError(`--template ${show(spec)}: ${show(`${provider}:`)} sources are not supported; use ${SUPPORTED}`);
  const groups = known.pattern.exec(spec.slice(provider.length + 1))?.groups;
  if (!groups?.repo) throw new UsageError(`--template ${show(spec)} is not a repository source; use ${SUPPORTED}`);
  const { url, headers } = known.at({ repo: groups.repo, ref: groups.ref ?? 'main' }, env);
  return { url, headers: { ...headers, ...auth }, strip: 1, subdir: folder(spec, groups.subdir) };
}
