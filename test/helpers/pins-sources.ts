// A loopback HTTP server that plays every source the pins bot (tools/bump-template-pins.py) reads:
// PyPI's per-project JSON, the GitHub REST API (releases, git refs, annotated tags, repository),
// two container registries speaking the OCI distribution API (one behind an anonymous bearer
// token, as public.ecr.aws and Docker Hub are; one open, as gcr.io and mcr.microsoft.com are) and
// Debian's archive. The answers have the shapes those APIs document, written here for the test;
// the scenario (which release is new, pre-release, too young, unreachable…) is the caller's.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

const DAY = 86_400_000;
export const ago = (days: number): string => new Date(Date.now() - days * DAY).toISOString().replace(/\.\d+Z$/, 'Z');

// --- PyPI ----------------------------------------------------------------------------------

export interface FileSpec {
  /** Wheel tags "python-abi-platform" (e.g. "py3-none-any"), or "sdist". */
  tags: string;
  days?: number;
  requiresPython?: string;
  yanked?: boolean;
}

export function pypiProject(name: string, releases: Record<string, FileSpec[]>): unknown {
  const dist = name.replace(/-/g, '_');
  const files = (version: string, specs: FileSpec[]) =>
    specs.map((spec, i) => {
      const filename = spec.tags === 'sdist' ? `${dist}-${version}.tar.gz` : `${dist}-${version}-${spec.tags}.whl`;
      const time = ago(spec.days ?? 30);
      return {
        comment_text: null,
        digests: { blake2b_256: `${i}`.padStart(64, 'b'), md5: `${i}`.padStart(32, 'd'), sha256: `${i}`.padStart(64, 'a') },
        downloads: -1,
        filename,
        has_sig: false,
        md5_digest: `${i}`.padStart(32, 'd'),
        packagetype: spec.tags === 'sdist' ? 'sdist' : 'bdist_wheel',
        python_version: spec.tags === 'sdist' ? 'source' : spec.tags.split('-')[0],
        requires_python: spec.requiresPython ?? '>=3.9',
        size: 1000 + i,
        upload_time: time.replace('Z', ''),
        upload_time_iso_8601: time.replace('Z', '.000000Z'),
        url: `https://files.pythonhosted.org/packages/xx/${filename}`,
        yanked: spec.yanked ?? false,
        yanked_reason: spec.yanked ? 'broken' : null,
      };
    });
  const versions = Object.keys(releases);
  const latest = versions.at(-1)!;
  return {
    info: { name, version: latest, requires_python: '>=3.9', summary: `${name} (fixture)`, yanked: false },
    last_serial: 1,
    releases: Object.fromEntries(versions.map((v) => [v, files(v, releases[v]!)])),
    urls: files(latest, releases[latest]!),
    vulnerabilities: [],
  };
}

// --- GitHub --------------------------------------------------------------------------------

export interface ReleaseSpec {
  tag: string;
  days: number;
  prerelease?: boolean;
  draft?: boolean;
  assets?: { name: string; digest?: string }[];
}

export function githubReleases(repo: string, specs: ReleaseSpec[]): unknown[] {
  return specs.map((r, i) => ({
    url: `https://api.github.com/repos/${repo}/releases/${1000 + i}`,
    html_url: `https://github.com/${repo}/releases/tag/${r.tag}`,
    id: 1000 + i,
    tag_name: r.tag,
    target_commitish: 'main',
    name: r.tag,
    draft: r.draft ?? false,
    prerelease: r.prerelease ?? false,
    immutable: false,
    created_at: ago(r.days + 1),
    // Drafts have no publication date.
    published_at: r.draft ? null : ago(r.days),
    assets: (r.assets ?? []).map((a, j) => ({
      url: `https://api.github.com/repos/${repo}/releases/assets/${5000 + j}`,
      id: 5000 + j,
      name: a.name,
      content_type: 'application/gzip',
      state: 'uploaded',
      size: 4096,
      digest: a.digest ?? null,
      browser_download_url: `https://github.com/${repo}/releases/download/${r.tag}/${a.name}`,
    })),
    tarball_url: `https://api.github.com/repos/${repo}/tarball/${r.tag}`,
    zipball_url: `https://api.github.com/repos/${repo}/zipball/${r.tag}`,
    body: `Release ${r.tag}`,
  }));
}

/** `git/ref/tags/<tag>`: a lightweight tag points at the commit, an annotated one at a tag object. */
export function gitRef(repo: string, tag: string, sha: string, type: 'commit' | 'tag'): unknown {
  return {
    ref: `refs/tags/${tag}`,
    node_id: 'REF_fixture',
    url: `https://api.github.com/repos/${repo}/git/refs/tags/${tag}`,
    object: { sha, type, url: `https://api.github.com/repos/${repo}/git/${type}s/${sha}` },
  };
}

export function gitTag(repo: string, tagSha: string, tag: string, commit: string): unknown {
  return {
    node_id: 'TAG_fixture',
    sha: tagSha,
    url: `https://api.github.com/repos/${repo}/git/tags/${tagSha}`,
    tag,
    message: `${tag}\n`,
    tagger: { name: 'release bot', email: 'bot@example.invalid', date: ago(30) },
    object: { sha: commit, type: 'commit', url: `https://api.github.com/repos/${repo}/git/commits/${commit}` },
    verification: { verified: false, reason: 'unsigned', signature: null, payload: null },
  };
}

// --- the server ----------------------------------------------------------------------------

export interface Registry {
  /** Tags in the order the registry lists them; served in pages of `pageSize`. */
  tags: Record<string, string[]>;
  /** "repository:tag" -> index digest. */
  digests: Record<string, string>;
  /** When set, every /v2/ call needs `Authorization: Bearer <token>`, handed out by /token. */
  token?: string;
  pageSize?: number;
}

export interface Scenario {
  pypi: Record<string, unknown>;
  /** GitHub path (e.g. "/repos/o/r/releases?per_page=100") -> [status, JSON body]. */
  github: Record<string, [number, unknown]>;
  registries: Record<string, Registry>;
  debianRelease: string;
}

export interface SeenRequest {
  method: string;
  url: string;
  authorization: string | undefined;
}

export interface PinsSources {
  base: string;
  seen: SeenRequest[];
  close(): Promise<void>;
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': typeof body === 'string' ? 'text/plain' : 'application/json', ...headers });
  res.end(text);
}

function registry(req: IncomingMessage, res: ServerResponse, name: string, reg: Registry, url: URL, base: string): void {
  const rest = url.pathname.slice(`/registry/${name}`.length);
  if (rest === '/token') return send(res, 200, { token: reg.token, access_token: reg.token, expires_in: 300, issued_at: ago(0) });
  if (reg.token && req.headers.authorization !== `Bearer ${reg.token}`) {
    const scope = `repository:${rest.replace(/^\/v2\/|\/(tags|manifests)\/.*$/g, '')}:pull`;
    return send(res, 401, { errors: [{ code: 'UNAUTHORIZED', message: 'authentication required' }] }, {
      'WWW-Authenticate': `Bearer realm="${base}/registry/${name}/token",service="${name}",scope="${scope}"`,
    });
  }
  const list = /^\/v2\/(.+)\/tags\/list$/.exec(rest);
  if (list) {
    const all = reg.tags[list[1]!] ?? [];
    const size = reg.pageSize ?? 1000;
    const after = url.searchParams.get('last');
    const start = after ? all.indexOf(after) + 1 : 0;
    const page = all.slice(start, start + size);
    const more = start + size < all.length;
    return send(res, 200, { name: list[1], tags: page }, more ? { Link: `</v2/${list[1]}/tags/list?last=${encodeURIComponent(page.at(-1)!)}&n=${size}>; rel="next"` } : {});
  }
  const manifest = /^\/v2\/(.+)\/manifests\/([^/]+)$/.exec(rest);
  const digest = manifest && reg.digests[`${manifest[1]}:${manifest[2]}`];
  if (!digest) return send(res, 404, { errors: [{ code: 'MANIFEST_UNKNOWN', message: 'manifest unknown' }] });
  res.writeHead(200, { 'Content-Type': 'application/vnd.oci.image.index.v1+json', 'Docker-Content-Digest': digest, 'Content-Length': '1234' });
  res.end();
}

export async function startPinsSources(scenario: Scenario): Promise<PinsSources> {
  const seen: SeenRequest[] = [];
  let base = '';
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', base);
    seen.push({ method: req.method ?? '', url: url.pathname + url.search, authorization: req.headers.authorization });
    const pypi = /^\/pypi\/pypi\/([^/]+)\/json$/.exec(url.pathname);
    if (pypi) {
      const body = scenario.pypi[pypi[1]!];
      return body ? send(res, 200, body) : send(res, 404, { message: 'Not Found' });
    }
    if (url.pathname.startsWith('/github/')) {
      const found = scenario.github[url.pathname.slice('/github'.length) + url.search];
      if (!found) return send(res, 404, { message: 'Not Found', documentation_url: 'https://docs.github.com/rest', status: '404' });
      return send(res, found[0], found[1]);
    }
    const reg = /^\/registry\/([^/]+)\//.exec(url.pathname);
    if (reg && scenario.registries[reg[1]!]) return registry(req, res, reg[1]!, scenario.registries[reg[1]!]!, url, base);
    if (url.pathname === '/debian/dists/stable/Release') return send(res, 200, scenario.debianRelease);
    send(res, 404, 'not part of the fixture');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { base, seen, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
