import type { FetchLike } from '../gateway-options.js';

/** A `fetch` that records every URL it is asked for, to prove which outbound requests were (not) made. */
export interface CountingFetch {
  fetch: FetchLike;
  readonly urls: string[];
}

export function countingFetch(inner: FetchLike = globalThis.fetch): CountingFetch {
  const urls: string[] = [];
  return {
    urls,
    fetch: (input, init) => {
      urls.push(input);
      return inner(input, init);
    },
  };
}
