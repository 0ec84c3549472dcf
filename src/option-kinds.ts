// What an entry of the option table (options.ts) is: its kind (text, one choice, a list of
// choices, on/off) and what each kind carries for the parser, the prompts and --help.

export interface Choice<V extends string = string> {
  value: V;
  label: string;
  hint?: string;
}

interface Base {
  /** Key in Answers / Flags. */
  key: string;
  /** Long flag without dashes. */
  flag: string;
  short?: string;
  /** One line for --help. */
  help: string;
  /** Question text; no prompt means the option is flag-only. */
  prompt?: string;
  /** Part of the project's answers (recorded and replayable), or a behaviour switch for this run. */
  answer: boolean;
}

export interface TextOption extends Base {
  kind: 'text';
  /** What --help shows after the flag, e.g. <file>. */
  metavar: string;
  /** Example shown as the prompt's placeholder. */
  placeholder?: string;
  validate: (value: string) => string | undefined;
}
export interface ChoiceOption extends Base {
  kind: 'choice';
  choices: readonly Choice[];
  default: string;
  /**
   * Values a template may add (create's --cloud: a template's clouds/<name>/cloud.json). Where the
   * template is not known yet (an answers file, --cloud given with --template), a value is only
   * checked to have this shape; the run checks it against its template's choices once it is read.
   */
  fromTemplate?: RegExp;
}
export interface ListOption extends Base {
  kind: 'list';
  choices: readonly Choice[];
  default: readonly string[];
}
export interface BooleanOption extends Base {
  kind: 'boolean';
  default: boolean;
}
export type Option = TextOption | ChoiceOption | ListOption | BooleanOption;
