/**
 * Made once, on the first call; concurrent first calls share it, and a failed attempt is tried again
 * next time. What a function needs rarely is imported this way, so its cold start never loads it.
 */
export function onFirstUse<T>(make: () => Promise<T>): () => Promise<T> {
  let made: Promise<T> | undefined;
  return () =>
    (made ??= make().catch((e: unknown) => {
      made = undefined;
      throw e;
    }));
}
