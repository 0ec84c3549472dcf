// The four kinds of question the wizard asks, as types only: the steps, the prompters (clack's in
// prompter.ts, line-prompter.ts for TERM=dumb, multiselect.ts) and the tests' scripted answers all
// meet here, and none of them imports another to get them.

export interface PromptChoice {
  value: string;
  label: string;
  hint?: string;
}

export interface Prompter {
  /** `defaultValue` is the answer when the user just presses Enter (shown as the placeholder). */
  text(q: { message: string; defaultValue?: string; validate: (v: string) => string | undefined }): Promise<string>;
  select(q: { message: string; options: readonly PromptChoice[]; initialValue: string }): Promise<string>;
  multiselect(q: { message: string; options: readonly PromptChoice[]; initialValues: readonly string[] }): Promise<string[]>;
  confirm(q: { message: string; initialValue: boolean }): Promise<boolean>;
}
