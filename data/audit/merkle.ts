/**
 * RFC 6962 / RFC 9162 Merkle tree over audit entries: leaf hash SHA-256(0x00 || entry), node hash
 * SHA-256(0x01 || left || right); root, inclusion and consistency proofs, and their verification.
 *
 * `MerkleTree` keeps the leaf hashes in memory and caches the hash of every complete, aligned subtree it has
 * computed (those never change as the log grows), so a proof for a tree of n leaves costs O(log n) hashes once warm.
 */
import { createHash } from 'node:crypto'

const EMPTY_ROOT = createHash('sha256').digest()

/** SHA-256(0x00 || data). */
export function leafHash(data: Uint8Array): Buffer {
  return createHash('sha256').update(Buffer.of(0)).update(data).digest()
}

/** SHA-256(0x01 || left || right). */
export function nodeHash(left: Uint8Array, right: Uint8Array): Buffer {
  return createHash('sha256').update(Buffer.of(1)).update(left).update(right).digest()
}

/** The largest power of two strictly less than n (n >= 2). */
function splitPoint(n: number): number {
  let k = 1
  while (k * 2 < n) k *= 2
  return k
}

const isPowerOfTwo = (n: number) => n > 0 && (n & (n - 1)) === 0

/** An append-only Merkle tree of leaf hashes. */
export class MerkleTree {
  private readonly leaves: Buffer[] = []
  private readonly complete = new Map<number, Buffer>()

  get size(): number {
    return this.leaves.length
  }

  /** The hash of leaf `index`. */
  leaf(index: number): Buffer {
    const hash = this.leaves[index]
    if (!hash) throw new RangeError('leaf index outside the tree')
    return hash
  }

  /** Appends a leaf hash (already SHA-256(0x00 || entry)). */
  push(hash: Uint8Array): void {
    this.leaves.push(Buffer.from(hash))
  }

  /** MTH(D[start:end]). */
  private range(start: number, end: number): Buffer {
    const n = end - start
    if (n === 0) return EMPTY_ROOT
    if (n === 1) return this.leaves[start] as Buffer
    const cacheable = isPowerOfTwo(n) && start % n === 0
    // start = j·n with n a power of two, so n·(2j + 1) = 2·start + n names the subtree uniquely.
    const key = start * 2 + n
    if (cacheable) {
      const hit = this.complete.get(key)
      if (hit) return hit
    }
    const k = splitPoint(n)
    const hash = nodeHash(this.range(start, start + k), this.range(start + k, end))
    if (cacheable) this.complete.set(key, hash)
    return hash
  }

  private check(size: number): void {
    if (!Number.isInteger(size) || size < 0 || size > this.leaves.length) {
      throw new RangeError(`tree size ${size} outside 0..${this.leaves.length}`)
    }
  }

  /** The root of the first `size` leaves (default: all). */
  root(size = this.leaves.length): Buffer {
    this.check(size)
    return this.range(0, size)
  }

  /** The audit path of leaf `index` in the tree of the first `size` leaves (RFC 6962 PATH). */
  inclusionProof(index: number, size: number): Buffer[] {
    this.check(size)
    if (!Number.isInteger(index) || index < 0 || index >= size)
      throw new RangeError('leaf index outside the tree')
    const path: Buffer[] = []
    let start = 0
    let end = size
    let m = index
    const stack: Buffer[] = []
    while (end - start > 1) {
      const k = splitPoint(end - start)
      if (m < k) {
        stack.push(this.range(start + k, end))
        end = start + k
      } else {
        stack.push(this.range(start, start + k))
        start += k
        m -= k
      }
    }
    // PATH lists siblings from the leaf upwards.
    for (let i = stack.length - 1; i >= 0; i--) path.push(stack[i] as Buffer)
    return path
  }

  /** The proof that the tree of `first` leaves is a prefix of the tree of `second` leaves (RFC 6962 PROOF). */
  consistencyProof(first: number, second: number): Buffer[] {
    this.check(second)
    if (!Number.isInteger(first) || first < 0 || first > second)
      throw new RangeError('first size outside 0..second')
    if (first === 0 || first === second) return []
    const stack: Buffer[] = []
    let start = 0
    let end = second
    let m = first
    let whole = true
    while (m !== end - start) {
      const n = end - start
      const k = splitPoint(n)
      if (m <= k) {
        stack.push(this.range(start + k, end))
        end = start + k
      } else {
        stack.push(this.range(start, start + k))
        start += k
        m -= k
        whole = false
      }
    }
    if (!whole) stack.push(this.range(start, end))
    return stack.reverse()
  }
}

const equal = (a: Uint8Array, b: Uint8Array) => Buffer.compare(Buffer.from(a), Buffer.from(b)) === 0

/** RFC 9162 §2.1.3.2: whether `proof` shows leaf `index` with hash `leaf` in the tree of `size` with `root`. */
export function verifyInclusion(
  index: number,
  size: number,
  leaf: Uint8Array,
  proof: readonly Uint8Array[],
  root: Uint8Array,
): boolean {
  if (index < 0 || index >= size) return false
  let fn = index
  let sn = size - 1
  let r: Uint8Array = leaf
  for (const p of proof) {
    if (sn === 0) return false
    if (fn % 2 === 1 || fn === sn) {
      r = nodeHash(p, r)
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2)
          sn = Math.floor(sn / 2)
        }
      }
    } else {
      r = nodeHash(r, p)
    }
    fn = Math.floor(fn / 2)
    sn = Math.floor(sn / 2)
  }
  return sn === 0 && equal(r, root)
}

/** RFC 9162 §2.1.4.2: whether `proof` shows the tree (first, firstRoot) is a prefix of (second, secondRoot). */
export function verifyConsistency(
  first: number,
  second: number,
  firstRoot: Uint8Array,
  secondRoot: Uint8Array,
  proof: readonly Uint8Array[],
): boolean {
  if (first < 0 || first > second) return false
  if (first === second) return proof.length === 0 && equal(firstRoot, secondRoot)
  if (first === 0) return proof.length === 0
  if (proof.length === 0) return false
  const path = isPowerOfTwo(first) ? [firstRoot, ...proof] : [...proof]
  let fn = first - 1
  let sn = second - 1
  while (fn % 2 === 1) {
    fn = Math.floor(fn / 2)
    sn = Math.floor(sn / 2)
  }
  let fr: Uint8Array = path[0] as Uint8Array
  let sr: Uint8Array = path[0] as Uint8Array
  for (const c of path.slice(1)) {
    if (sn === 0) return false
    if (fn % 2 === 1 || fn === sn) {
      fr = nodeHash(c, fr)
      sr = nodeHash(c, sr)
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2)
          sn = Math.floor(sn / 2)
        }
      }
    } else {
      sr = nodeHash(sr, c)
    }
    fn = Math.floor(fn / 2)
    sn = Math.floor(sn / 2)
  }
  return sn === 0 && equal(fr, firstRoot) && equal(sr, secondRoot)
}
