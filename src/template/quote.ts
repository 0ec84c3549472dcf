// Quoting helpers for templates: a value placed in a file goes through the one for that format.

/** POSIX shell single-quoted word. */
function sh(value: string): string {
  return `'${value.replaceAll("'", `'\\''`)}'`;
}

/** A JSON string literal; also a valid YAML double-quoted scalar and TOML basic string. */
function json(value: string): string {
  // JSON leaves U+2028/2029 raw; escape them so no format treats them as a line break.
  return JSON.stringify(value).replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

export const quote = { sh, json, yaml: json, toml: json };
