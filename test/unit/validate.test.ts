import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { packageName, suggestProjectName, validateProjectName } from '../../src/validate.js';

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
