import assert from 'node:assert/strict';
import { test } from 'node:test';
import { projectTitle } from '../../src/template/title.js';

test('project titles keep acronyms upper-case', () => {
  assert.equal(projectTitle('ml-project'), 'ML Project');
  assert.equal(projectTitle('loan-default-api'), 'Loan Default API');
  assert.equal(projectTitle('my-ml-project'), 'My ML Project');
  assert.equal(projectTitle('ai-llm-rag-ui'), 'AI LLM RAG UI');
  assert.equal(projectTitle('mlops-demo'), 'MLOps Demo');
});

test('other words are capitalised, digits kept', () => {
  assert.equal(projectTitle('loan-default'), 'Loan Default');
  assert.equal(projectTitle('x'), 'X');
  assert.equal(projectTitle('model2-v3'), 'Model2 V3');
  // An acronym only as a whole word: "mlflow" and "html" are words of their own.
  assert.equal(projectTitle('mlflow-html'), 'Mlflow Html');
});
