// The human title of a generated project (README heading, pyproject description), made from its
// validated name: words split at "-", each capitalised, except the acronyms below, which are
// written as they are spelt ("ml-project" → "ML Project", not "Ml Project").

const ACRONYMS: Readonly<Record<string, string>> = {
  ai: 'AI',
  api: 'API',
  aws: 'AWS',
  cv: 'CV',
  etl: 'ETL',
  gcp: 'GCP',
  gpu: 'GPU',
  id: 'ID',
  llm: 'LLM',
  ml: 'ML',
  mlops: 'MLOps',
  nlp: 'NLP',
  ocr: 'OCR',
  rag: 'RAG',
  sql: 'SQL',
  ui: 'UI',
};

/** "loan-default-api" → "Loan Default API". `name` is a validated project name. */
export function projectTitle(name: string): string {
  return name
    .split('-')
    .map((word) => ACRONYMS[word] ?? word.charAt(0).toUpperCase() + word.slice(1))
    .join(' ');
}
