/** The environment git runs with. Its own module so git-diff.ts and push-range.ts do not import each other. */
export type GitEnv = Readonly<Record<string, string | undefined>>;
