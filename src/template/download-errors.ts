// A failed download as one line saying what went wrong, and hints saying what to do about it.

import { CliError, ExitCode, show } from '../errors.js';

/** What failed: the URL, and the HTTP status or the error fetch threw. */
export interface DownloadFailure {
  url: string;
  status?: number;
  error?: unknown;
}

/** The error chain's codes and messages (fetch wraps the socket error in `cause`). */
function chain(error: unknown): { codes: string[]; deepest: string } {
  const codes: string[] = [];
  const texts: string[] = [];
  for (let e = error as { code?: unknown; message?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 6; e = e.cause as typeof e, depth++) {
    if (typeof e.code === 'string') codes.push(e.code);
    if (typeof e.message === 'string') texts.push(e.message);
  }
  return { codes, deepest: texts.at(-1) ?? 'unknown error' };
}

const PROXY_VARS = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy', 'ALL_PROXY', 'all_proxy'];

function safeHost(url: string): string | undefined {
  try {
    return new URL(url).host;
  } catch {
    return undefined;
  }
}

export function downloadError(spec: string, failure: DownloadFailure, options: { offline: boolean; env: NodeJS.ProcessEnv }): CliError {
  const host = safeHost(failure.url);
  const where = host ? ` (${host})` : '';
  const { codes, deepest } = chain(failure.error);
  const has = (...names: string[]) => codes.some((c) => names.includes(c));
  const hints: string[] = [];
  let reason: string;
  let network = true;
  const status = failure.status;

  if (status === 404) {
    reason = `not found (HTTP 404)${where}`;
    network = false;
    hints.push('check the repository, the folder and the #ref; a private repository also answers 404 without a token (set GIGET_AUTH)');
  } else if (status === 401 || status === 403) {
    reason = `access denied (HTTP ${status})${where}`;
    network = false;
    hints.push('set GIGET_AUTH to a token that can read the repository; a rate-limited GitHub API also answers 403');
  } else if (status !== undefined) {
    reason = `the server answered HTTP ${status}${where}`;
    network = status >= 500;
  } else if (has('ENOTFOUND', 'EAI_AGAIN')) {
    reason = `DNS lookup failed${where}: no network, a typo in the host, or DNS blocked`;
  } else if (has('ECONNREFUSED')) {
    reason = `connection refused${where}`;
  } else if (has('ETIMEDOUT', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT')) {
    reason = `timed out${where}`;
  } else if (has('ECONNRESET', 'UND_ERR_SOCKET', 'EPIPE') || deepest === 'terminated') {
    reason = `the connection was cut${where}`;
  } else if (codes.some((c) => /CERT|SSL|TLS/.test(c))) {
    reason = `TLS certificate problem${where} (${codes.find((c) => /CERT|SSL|TLS/.test(c))})`;
    hints.push('behind a TLS-inspecting proxy, point NODE_EXTRA_CA_CERTS at its CA certificate');
  } else {
    // Unclassified: the innermost message is the most specific one (fetch nests the socket error).
    const inner = deepest.split('\n')[0] ?? '';
    reason = inner === 'fetch failed' ? `network error${where}` : `network error${where}: ${inner}`;
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
