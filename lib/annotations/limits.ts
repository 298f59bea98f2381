/** Limits shared by the server schemas and the browser forms. */
export const MAX_BODY = 5000;
export const MAX_SOURCE_TITLE = 300;
export const PAGE_SIZE = 20;

export const KINDS = ["ANNOTATION", "COUNTERPOINT", "SOURCE"] as const;
export type Kind = (typeof KINDS)[number];
export const STANCES = ["SUPPORTS", "REFUTES", "CONTEXT"] as const;
export type Stance = (typeof STANCES)[number];
export const MAX_SOURCE_QUOTE = 1000;
export const MAX_DOI = 200;
