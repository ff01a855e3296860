/**
 * An organization's handle: the first characters of its id, which its address starts with
 * (`/orgs/e4665e98-…`). Names may repeat (two teams called "Acme"); the handle tells them apart
 * wherever a name is shown next to others. Six hex characters: two of one person's orgs share
 * one about once in 16 million.
 */
export const orgHandle = (id: string) => id.slice(0, 6);
