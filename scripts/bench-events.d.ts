/** A seeded maker of the bench's realistic events (plain JSON objects, valid against the shipped vocabulary). */
export function eventMaker(seed: number): () => Record<string, unknown>;
