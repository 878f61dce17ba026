import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { leafHash, MerkleTree, nodeHash, verifyConsistency, verifyInclusion } from './merkle.ts'

// The test leaves and roots of RFC 6962's reference implementation (certificate-transparency).
const leaves = [
  '',
  '00',
  '10',
  '2021',
  '3031',
  '40414243',
  '5051525354555657',
  '606162636465666768696a6b6c6d6e6f',
]
const roots = [
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
]

function treeOf(n: number): MerkleTree {
  const tree = new MerkleTree()
  for (let i = 0; i < n; i++) tree.push(leafHash(Buffer.from(`entry ${i}`)))
  return tree
}

/** The definition, written as plainly as RFC 6962 states it, to check the cached tree against. */
function naiveRoot(hashes: Buffer[]): Buffer {
  if (hashes.length === 1) return hashes[0] as Buffer
  let k = 1
  while (k * 2 < hashes.length) k *= 2
  return nodeHash(naiveRoot(hashes.slice(0, k)), naiveRoot(hashes.slice(k)))
}

describe('MerkleTree', () => {
  it('computes the reference roots of RFC 6962', () => {
    const tree = new MerkleTree()
    assert.equal(
      tree.root().toString('hex'),
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    )
    leaves.forEach((hex, i) => {
      tree.push(leafHash(Buffer.from(hex, 'hex')))
      assert.equal(tree.root().toString('hex'), roots[i], `root of ${i + 1} leaves`)
    })
    roots.forEach((root, i) => assert.equal(tree.root(i + 1).toString('hex'), root))
  })

  it('agrees with the plain definition for any size', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 300 }), (n) => {
        const tree = treeOf(n)
        const hashes = Array.from({ length: n }, (_, i) => leafHash(Buffer.from(`entry ${i}`)))
        return tree.root().equals(naiveRoot(hashes))
      }),
      { numRuns: 60 },
    )
  })

  it('gives inclusion proofs that verify, and fail for another leaf, index or root', () => {
    const tree = treeOf(300)
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 300 }), fc.nat(), (size, raw) => {
        const index = raw % size
        const proof = tree.inclusionProof(index, size)
        const leaf = leafHash(Buffer.from(`entry ${index}`))
        const root = tree.root(size)
        assert.ok(verifyInclusion(index, size, leaf, proof, root))
        assert.ok(!verifyInclusion(index, size, leafHash(Buffer.from('forged')), proof, root))
        if (size > 1) assert.ok(!verifyInclusion((index + 1) % size, size, leaf, proof, root))
        assert.ok(!verifyInclusion(index, size, leaf, proof, tree.root(size === 1 ? 0 : size - 1)))
      }),
      { numRuns: 200 },
    )
  })

  it('gives consistency proofs that verify, and fail for a different history', () => {
    const tree = treeOf(200)
    const other = treeOf(200)
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 200 }), fc.integer({ min: 1, max: 200 }), (a, b) => {
        const [first, second] = a <= b ? [a, b] : [b, a]
        const proof = tree.consistencyProof(first, second)
        assert.ok(verifyConsistency(first, second, tree.root(first), tree.root(second), proof))
        if (first < second) {
          const forged = leafHash(Buffer.from('forged'))
          assert.ok(!verifyConsistency(first, second, forged, tree.root(second), proof))
          assert.ok(!verifyConsistency(first, second, tree.root(first), forged, proof))
        }
      }),
      { numRuns: 200 },
    )
    assert.ok(other.root().equals(tree.root()))
  })

  it('detects a rewritten prefix through the consistency proof', () => {
    const honest = treeOf(20)
    const rewritten = new MerkleTree()
    for (let i = 0; i < 20; i++) rewritten.push(leafHash(Buffer.from(i === 3 ? 'edited' : `entry ${i}`)))
    const proof = rewritten.consistencyProof(10, 20)
    assert.ok(!verifyConsistency(10, 20, honest.root(10), rewritten.root(20), proof))
  })

  it('refuses sizes outside the tree', () => {
    const tree = treeOf(4)
    assert.throws(() => tree.root(5), RangeError)
    assert.throws(() => tree.inclusionProof(4, 4), RangeError)
    assert.throws(() => tree.consistencyProof(3, 5), RangeError)
  })
})
