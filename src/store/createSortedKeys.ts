/** Keys per chunk before it splits: an insert or delete moves at most this many entries. */
const chunkSize = 256

interface Chunk {
  /** Sort keys, ascending. */
  keys: string[]
  /** The id each key stands for, at the same position. */
  ids: string[]
}

/**
 * Ids kept in the order of their sort keys, in chunks of a few hundred: an insert or delete in the
 * middle costs a binary search and a splice of one chunk, not of the whole order (one array made
 * each create with a frozen clock, whose records all tie on `created_at`, splice tens of thousands
 * of ids: issue 17's create budget).
 */
export interface SortedKeys {
  /** How many ids there are. */
  readonly size: number
  /** Adds `id` under `key`, after any equal keys. */
  add(key: string, id: string): void
  /** Removes the entry with this key and id; `false` when there is none. */
  delete(key: string, id: string): boolean
  /** Calls `visit` with each id in key order (or reverse) until it returns `false`. */
  each(descending: boolean, visit: (id: string) => boolean | void): void
  /** An independent copy (a generation's own order, from the base's). */
  copy(): SortedKeys
}

/** First position in `keys` whose key is greater than `key` (`strict`) or not less than it. */
function bound(keys: readonly string[], key: string, strict: boolean): number {
  let low = 0
  let high = keys.length
  while (low < high) {
    const middle = (low + high) >>> 1
    const other = keys[middle]!
    if (strict ? other > key : other >= key) high = middle
    else low = middle + 1
  }
  return low
}

/**
 * Creates the sorted ids from `entries` already in key order.
 *
 * @example
 * const order = createSortedKeys([['2024-01-10T09:00:00Z\u0000opp_a', 'opp_a']])
 * order.add('2024-01-11T09:00:00Z\u0000opp_b', 'opp_b')
 * order.each(true, (id) => console.log(id)) // opp_b, opp_a
 */
export function createSortedKeys(entries: ReadonlyArray<readonly [key: string, id: string]> = []): SortedKeys {
  return fromChunks(
    Array.from({ length: Math.ceil(entries.length / chunkSize) }, (_, at) => {
      const slice = entries.slice(at * chunkSize, (at + 1) * chunkSize)
      return { keys: slice.map(([key]) => key), ids: slice.map(([, id]) => id) }
    }),
  )
}

function fromChunks(chunks: Chunk[]): SortedKeys {
  let size = chunks.reduce((sum, chunk) => sum + chunk.keys.length, 0)

  /** The chunk a key belongs in: the first whose last key is not less than it (`strict`: greater), else the last. */
  function chunkFor(key: string, strict: boolean): number {
    const last = chunks.length - 1
    if (last < 0) return -1
    let low = 0
    let high = last
    while (low < high) {
      const middle = (low + high) >>> 1
      const keys = chunks[middle]!.keys
      const top = keys[keys.length - 1]!
      if (strict ? top > key : top >= key) high = middle
      else low = middle + 1
    }
    return low
  }

  return {
    get size() {
      return size
    },
    add(key, id) {
      size++
      const last = chunks[chunks.length - 1]
      // The usual case: the newest record goes last.
      if (!last || last.keys[last.keys.length - 1]! <= key) {
        if (!last || last.keys.length >= chunkSize) chunks.push({ keys: [key], ids: [id] })
        else {
          last.keys.push(key)
          last.ids.push(id)
        }
        return
      }
      const at = chunkFor(key, true)
      const chunk = chunks[at]!
      const position = bound(chunk.keys, key, true)
      chunk.keys.splice(position, 0, key)
      chunk.ids.splice(position, 0, id)
      if (chunk.keys.length >= chunkSize * 2) {
        chunks.splice(at + 1, 0, { keys: chunk.keys.splice(chunkSize), ids: chunk.ids.splice(chunkSize) })
      }
    },
    delete(key, id) {
      for (let at = chunkFor(key, false); at >= 0 && at < chunks.length; at++) {
        const chunk = chunks[at]!
        // Equal keys may run over into the next chunks.
        for (let position = bound(chunk.keys, key, false); position < chunk.keys.length && chunk.keys[position] === key; position++) {
          if (chunk.ids[position] !== id) continue
          chunk.keys.splice(position, 1)
          chunk.ids.splice(position, 1)
          if (chunk.keys.length === 0) chunks.splice(at, 1)
          size--
          return true
        }
        if (chunk.keys[chunk.keys.length - 1] !== key) return false
      }
      return false
    },
    each(descending, visit) {
      if (descending) {
        for (let at = chunks.length - 1; at >= 0; at--) {
          const ids = chunks[at]!.ids
          for (let position = ids.length - 1; position >= 0; position--) if (visit(ids[position]!) === false) return
        }
      } else {
        for (const { ids } of chunks) for (const id of ids) if (visit(id) === false) return
      }
    },
    copy() {
      return fromChunks(chunks.map((chunk) => ({ keys: [...chunk.keys], ids: [...chunk.ids] })))
    },
  }
}
