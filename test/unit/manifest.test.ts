import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { targetOf, type TemplateManifest } from '../../src/template/manifest.js';
import { defaultAnswers } from '../../src/options.js';

const manifest: TemplateManifest = {
  name: 't',
  version: '1',
  files: [
    { path: 'api/', when: { api: true } },
    { path: 'api/always.txt' },
    { path: 'go/mac.sh', when: { os: 'mac' } },
    { path: 'deploy.sh', when: { cloud: ['aws', 'gcp'] } },
    { path: 'locks/', skip: true },
    { path: 'locks/p/poetry.lock', when: { packageManager: 'poetry' }, to: 'poetry.lock' },
    { path: 'renamed/', when: { runner: 'compose' }, to: 'compose/' },
  ],
};
const base = defaultAnswers('demo');

describe('template.json rules', () => {
  it('writes files no rule covers', () => assert.equal(targetOf(manifest, 'README.md.ejs', base), 'README.md.ejs'));
  it('never writes the meta files', () => {
    assert.equal(targetOf(manifest, 'template.json', base), undefined);
    assert.equal(targetOf(manifest, 'pins.json', base), undefined);
  });
  it('applies folder rules to everything below', () => {
    assert.equal(targetOf(manifest, 'api/app.py', base), 'api/app.py');
    assert.equal(targetOf(manifest, 'api/app.py', { ...base, api: false }), undefined);
  });
  it('lets the longest rule decide', () => assert.equal(targetOf(manifest, 'api/always.txt', { ...base, api: false }), 'api/always.txt'));
  it('matches list answers by membership', () => {
    assert.equal(targetOf(manifest, 'go/mac.sh', { ...base, os: ['linux', 'mac'] }), 'go/mac.sh');
    assert.equal(targetOf(manifest, 'go/mac.sh', { ...base, os: ['linux'] }), undefined);
  });
  it('matches any of an array of values', () => {
    assert.equal(targetOf(manifest, 'deploy.sh', { ...base, cloud: 'gcp' }), 'deploy.sh');
    assert.equal(targetOf(manifest, 'deploy.sh', { ...base, cloud: 'none' }), undefined);
  });
  it('skips and renames', () => {
    assert.equal(targetOf(manifest, 'locks/u/uv.lock', base), undefined);
    assert.equal(targetOf(manifest, 'locks/p/poetry.lock', base), 'poetry.lock');
    assert.equal(targetOf(manifest, 'renamed/a/b.txt', { ...base, runner: 'compose' }), 'compose/a/b.txt');
  });
});
