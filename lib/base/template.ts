// A message with named blanks ("at most {max} a minute"), filled from typed values: a
// catalog declares each text once, and the compiler checks that a caller names every blank.

/** The names of the blanks in a template, as a union of string literals. */
type Blanks<T extends string> = T extends `${string}{${infer Name}}${infer Rest}` ? Name | Blanks<Rest> : never;

/** The values a template's blanks need. */
export type Fill<T extends string> = { readonly [Name in Blanks<T>]: string | number };

/** A filler's arguments: the values, which may be left out when the template has no blanks, then `More`. */
export type FillArguments<T extends string, More extends unknown[] = []> = keyof Fill<T> extends never ? [values?: Fill<T>, ...More] : [values: Fill<T>, ...More];

export function fill<T extends string>(template: T, values: Fill<T>): string {
  return template.replace(/\{(\w+)\}/g, (_, name: string) => String((values as Record<string, string | number>)[name]));
}
