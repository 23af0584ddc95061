import type { ResourceDefinition } from '../contract/resources.js'

/** Characters of a generated id after its prefix, as the docs' ids (`opp_abc123def456`) use them. */
const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789'
const idLength = 12

/** Where new records get their ids: random, or a sequence fixed by a seed. */
export interface IdGenerator {
  /**
   * A new id for a record of `resource` (`cnt_` or `opp_` and 12 characters) that `taken` does
   * not know yet.
   */
  next(resource: Pick<ResourceDefinition, 'idPrefix'>, taken: (id: string) => boolean): string
  /** Starts the seeded sequence again (`reset()`), so a test gets the same ids on every run. */
  reset(): void
}

/** A 32-bit hash of the seed's text, so any string or number seeds the sequence. */
function hashSeed(seed: string): number {
  let hash = 2166136261
  for (let index = 0; index < seed.length; index++) {
    hash = Math.imul(hash ^ seed.charCodeAt(index), 16777619)
  }
  return hash >>> 0
}

/** Mulberry32: a small, well-known 32-bit generator; plenty for ids that only need to be reproducible. */
function seededNumbers(seed: number): () => number {
  let state = seed
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let value = state
    value = Math.imul(value ^ (value >>> 15), value | 1)
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61)
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296
  }
}

/** Random bytes drawn from the CSPRNG in blocks: one `getRandomValues` call per id cost more than the rest of the id (issue 17's create budget). */
const pool = new Uint8Array(4096)
let poolAt = pool.length

function randomByte(): number {
  if (poolAt === pool.length) {
    globalThis.crypto.getRandomValues(pool)
    poolAt = 0
  }
  return pool[poolAt++]!
}

/** Uniform random characters from the platform's CSPRNG (Node 20 and browsers both have `crypto`). */
function randomCharacters(): string {
  let text = ''
  while (text.length < idLength) {
    const byte = randomByte()
    // 252 = 7 × 36: dropping the last four byte values keeps every character equally likely.
    if (byte < 252) text += alphabet[byte % 36]
  }
  return text
}

/**
 * Creates the id source of one mock. With a seed, the ids follow a sequence fixed by it (the
 * same seed gives the same ids, run after run, and again after `reset()`); without one they
 * are random. Either way an id already in the store is never handed out.
 *
 * @example
 * const ids = createIdGenerator('my-test')
 * ids.next(contactResource, (id) => store.findContact(id) !== undefined) // 'cnt_' + 12 characters, the same every run
 */
export function createIdGenerator(seed?: string | number): IdGenerator {
  const start = seed === undefined ? undefined : hashSeed(String(seed))
  let numbers = start === undefined ? undefined : seededNumbers(start)
  function characters(): string {
    if (!numbers) return randomCharacters()
    let text = ''
    for (let index = 0; index < idLength; index++) text += alphabet[Math.floor(numbers() * 36)]
    return text
  }
  return {
    next(resource, taken) {
      for (;;) {
        const id = `${resource.idPrefix}${characters()}`
        if (!taken(id)) return id
      }
    },
    reset() {
      if (start !== undefined) numbers = seededNumbers(start)
    },
  }
}
