// Remote templates: a giget source (gh:org/repo/subdir#ref, gitlab:, bitbucket:, sourcehut:,
// https://….tar.gz, git:, <host>+git:) is downloaded into a private temporary folder, never into
// the target, then checked and used exactly like a local folder.
//
// Division of labour: giget resolves the source, authenticates (GIGET_AUTH), downloads and keeps
// its cache (offline / preferOffline); we unpack the cached archive ourselves (untar.ts) so that a
// hostile archive is refused as a whole instead of being partly extracted.

import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { CliError, ExitCode, show } from '../errors.js';
import { unpackTemplate, UnsafeArchiveError } from './untar.js';

/** giget's "<provider>:" prefix. Two characters at least, so a Windows drive (C:\…) stays local. */
const PROVIDER_PREFIX = /^([\w+.-]{2,}):/;

export function isRemoteSource(spec: string): boolean {
  return PROVIDER_PREFIX.test(spec);
}

export interface RemoteOptions {
  offline: boolean;
  preferOffline: boolean;
  env: NodeJS.ProcessEnv;
  /** Called with the temporary folder as soon as it exists, so the caller removes it whatever happens. */
  scratch: (path: string) => void;
}

export interface RemoteTemplate {
  /** Folder holding the unpacked template (its template.json at the root). */
  dir: string;
  /** The temporary folder around it, to remove after the run. */
  scratch: string;
}

/**
 * Where giget 3 keeps a downloaded archive. giget does not return this path, so it is derived the
 * way giget derives it (dist/_chunks/giget.mjs: cacheDirectory and tarPath); `fetchRemote` checks
 * the file exists and fails loudly if a giget update moved it.
 */
function cachedArchive(spec: string, name: string, version: string | undefined): string {
  // giget reads process.env itself, so this must too.
  const xdg = process.env.XDG_CACHE_HOME;
  const cacheDir = process.platform === 'win32' ? resolve(tmpdir(), 'giget') : xdg ? resolve(xdg, 'giget') : resolve(homedir(), '.cache/giget');
  let provider = PROVIDER_PREFIX.exec(spec)?.[1] ?? 'registry';
  if (provider.endsWith('+git')) provider = 'git';
  return resolve(cacheDir, provider, name, `${version || name}.tar.gz`);
}

export async function fetchRemote(spec: string, options: RemoteOptions): Promise<RemoteTemplate> {
  const scratch = mkdtempSync(join(tmpdir(), 'cmlp-template-'));
  options.scratch(scratch);
  try {
    // Loaded here, not at the top: a run with the bundled template never pays for giget (untar.ts
    // loads zlib only when it unpacks).
    const { downloadTemplate } = await import('giget');
    let info: Awaited<ReturnType<typeof downloadTemplate>>;
    try {
      // `ignore` skips every entry: giget only downloads (or finds in its cache); we unpack.
      info = await downloadTemplate(spec, {
        dir: join(scratch, 'unused'),
        offline: options.offline,
        preferOffline: options.preferOffline,
        ignore: () => true,
        silent: true,
      });
    } catch (error) {
      throw downloadError(spec, error, options);
    }
    const archivePath = cachedArchive(spec, info.name, info.version);
    if (!existsSync(archivePath)) {
      throw new CliError(`--template ${show(spec)}: giget reported success but its archive is not at ${archivePath}`, ExitCode.templateFetch, [
        'this create-ml-project does not match the installed giget; please report it',
      ]);
    }
    // Read once into memory: what is checked is exactly what is written, whatever touches the cache meanwhile.
    const archive = readFileSync(archivePath);
    const dir = join(scratch, 'template');
    mkdirSync(dir);
    try {
      await unpackTemplate(archive, dir, { strip: 1, subdir: info.subdir ?? '' });
    } catch (error) {
      if (!(error instanceof UnsafeArchiveError)) throw error;
      throw new CliError(`--template ${show(spec)}: refusing the downloaded archive: ${error.message}`, ExitCode.templateFetch, [
        'nothing from it was written; a template archive may only hold regular files and folders below its root',
      ]);
    }
    return { dir, scratch };
  } catch (error) {
    rmSync(scratch, { recursive: true, force: true });
    if (error instanceof CliError) throw error;
    throw new CliError(`--template ${show(spec)}: cannot unpack the template: ${(error as Error).message}`, ExitCode.templateFetch);
  }
}

/** The error chain's codes and messages (fetch wraps the socket error in `cause`). */
function chain(error: unknown): { codes: string[]; text: string; deepest: string } {
  const codes: string[] = [];
  const texts: string[] = [];
  for (let e = error as { code?: unknown; message?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 6; e = e.cause as typeof e, depth++) {
    if (typeof e.code === 'string') codes.push(e.code);
    if (typeof e.message === 'string') texts.push(e.message);
  }
  return { codes, text: texts.join(' | '), deepest: texts.at(-1) ?? 'unknown error' };
}

const PROXY_VARS = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy', 'ALL_PROXY', 'all_proxy'];

/** One line saying what went wrong, and hints saying what to do about it. */
export function downloadError(spec: string, error: unknown, options: Pick<RemoteOptions, 'offline' | 'env'>): CliError {
  const { codes, text, deepest } = chain(error);
  const url = /(?:download|fetch) (\S+): /.exec(text)?.[1];
  const host = url ? safeHost(url) : undefined;
  const where = host ? ` (${host})` : '';
  const status = /: (\d{3})\b/.exec(text)?.[1];
  const has = (...names: string[]) => codes.some((c) => names.includes(c)) || names.some((n) => text.includes(n));
  const hints: string[] = [];
  let reason: string;
  let network = false;

  if (/Tarball not found/.test(text)) {
    reason = options.offline ? 'no cached copy to use offline' : 'the download left no archive';
    hints.push('run once without --offline to fill the cache (giget keeps it in $XDG_CACHE_HOME/giget or ~/.cache/giget)');
  } else if (status === '404') {
    reason = `not found (HTTP 404)${where}`;
    hints.push('check the repository, the folder and the #ref; a private repository also answers 404 without a token (set GIGET_AUTH)');
  } else if (status === '401' || status === '403') {
    reason = `access denied (HTTP ${status})${where}`;
    hints.push('set GIGET_AUTH to a token that can read the repository; a rate-limited GitHub API also answers 403');
  } else if (status) {
    reason = `the server answered HTTP ${status}${where}`;
    network = Number(status) >= 500;
  } else if (has('ENOTFOUND', 'EAI_AGAIN')) {
    reason = `DNS lookup failed${where}: no network, a typo in the host, or DNS blocked`;
    network = true;
  } else if (has('ECONNREFUSED')) {
    reason = `connection refused${where}`;
    network = true;
  } else if (has('ETIMEDOUT', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT')) {
    reason = `timed out${where}`;
    network = true;
  } else if (has('ECONNRESET', 'UND_ERR_SOCKET', 'EPIPE')) {
    reason = `the connection was cut${where}`;
    network = true;
  } else if (codes.some((c) => /CERT|SSL|TLS/.test(c))) {
    reason = `TLS certificate problem${where} (${codes.find((c) => /CERT|SSL|TLS/.test(c))})`;
    hints.push('behind a TLS-inspecting proxy, point NODE_EXTRA_CA_CERTS at its CA certificate');
    network = true;
  } else if (/Unsupported provider/.test(text)) {
    reason = 'unknown source type';
    hints.push('use gh:org/repo/folder#ref, gitlab:, bitbucket:, sourcehut:, https://…/x.tar.gz, or a local folder');
  } else {
    // Unclassified: the innermost message is the most specific one (fetch nests the socket error).
    network = /fetch failed/.test(text);
    const inner = (deepest.split('\n')[0] ?? '').replace(/^Failed to download template from \w+: /, '');
    reason = network && inner !== 'fetch failed' ? `network error: ${inner}` : inner;
  }

  if (network) {
    const proxies = PROXY_VARS.filter((v) => options.env[v]);
    if (proxies.length > 0) {
      hints.push(`${proxies[0]} is set, but Node.js ${process.versions.node.split('.')[0]}'s built-in fetch ignores proxy variables, so this download went direct; fetch the archive another way and pass its folder to --template`);
    }
    if (!options.offline) hints.push('if this template was downloaded before, --offline (or --prefer-offline) uses the cached copy');
  }
  return new CliError(`cannot download template ${show(spec)}: ${reason}`, ExitCode.templateFetch, hints);
}

function safeHost(url: string): string | undefined {
  try {
    return new URL(url).host;
  } catch {
    return undefined;
  }
}
