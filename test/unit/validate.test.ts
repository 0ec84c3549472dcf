import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readFileSync } from 'node:fs';
import { LOCKED_DISTRIBUTIONS } from '../../src/locked-distributions.js';
import { NAME_PATTERN, packageName, suggestProjectName, validateProjectName } from '../../src/validate.js';
import { lockedDistributions, OUTPUT, renderModule } from '../../tools/locked-names.js';

describe('project names', () => {
  for (const good of ['loan-default', 'a1', 'model-v2-eu', 'x'.repeat(50)]) {
    it(`accepts ${good.slice(0, 20)}`, () => assert.equal(validateProjectName(good), undefined));
  }
  for (const bad of ['', 'Loan', '1model', '-a', 'a-', 'a--b', 'a_b', 'a.b', 'ünï', '../x', 'a b', 'x'.repeat(51), 'import', 'json', 'nul', 'com1', 'test', 'api']) {
    it(`refuses ${JSON.stringify(bad.slice(0, 20))}`, () => assert.ok(validateProjectName(bad)));
  }
  it('suggests a valid name from free text', () => {
    assert.equal(suggestProjectName('My Loan Model!'), 'my-loan-model');
    assert.equal(suggestProjectName('Ünïcode Café'), 'unicode-cafe');
    assert.equal(suggestProjectName('123'), undefined);
    assert.equal(suggestProjectName('json'), undefined);
  });
  it('derives the import package', () => assert.equal(packageName('loan-default-v2'), 'loan_default_v2'));
});

describe('names of the dependencies a project installs', () => {
  it('src/locked-distributions.ts lists exactly what the shipped locks install (run tools/locked-names.ts)', () => {
    const names = lockedDistributions();
    assert.ok(names.includes('scikit-learn') && names.includes('uvloop') && names.includes('jupyterlab'), 'the lock parser found no packages');
    assert.equal(readFileSync(OUTPUT, 'utf8'), renderModule(names));
  });
  // The two kinds of collision: a distribution's own name, and a module installed under another.
  for (const [name, dependency] of [
    ['scikit-learn', 'scikit-learn'],
    ['httptools', 'httptools'],
    ['uvloop', 'uvloop'],
    ['jupyterlab', 'jupyterlab'],
    ['typing-extensions', 'typing-extensions'],
    ['sklearn', 'scikit-learn'],
    ['yaml', 'pyyaml'],
    ['zmq', 'pyzmq'],
  ]) {
    it(`refuses ${name}, naming ${dependency}`, () => {
      assert.equal(validateProjectName(name as string), `is taken by a dependency the project installs (${dependency}); pick a more specific name`);
    });
  }
  it('refuses every locked distribution whose name is a valid project name', () => {
    const valid = LOCKED_DISTRIBUTIONS.filter((n) => NAME_PATTERN.test(n));
    assert.ok(valid.length > 100);
    for (const name of valid) assert.ok(validateProjectName(name), name);
  });
  it('still accepts names that only contain a dependency name', () => {
    assert.equal(validateProjectName('sklearn-credit-model'), undefined);
    assert.equal(validateProjectName('pandas-etl'), undefined);
  });
});

