import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { statSync } from 'node:fs'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { PiiCipher, PiiError } from './cipher.ts'
import { loadOrCreateKeyFile } from './key-file.ts'
import { maskIdNumber, maskName, maskPhone } from './mask.ts'
import { tempDir } from '../testing/temp-dir.ts'

describe('PiiCipher', () => {
  const cipher = new PiiCipher(randomBytes(32))

  it('round-trips any text', () => {
    fc.assert(fc.property(fc.string(), (text) => cipher.decrypt(cipher.encrypt(text)) === text))
  })

  it('never leaves the plaintext visible in the ciphertext', () => {
    const id = '310104199001011234'
    const bytes = Buffer.from(cipher.encrypt(id))
    assert.equal(bytes.includes(Buffer.from(id)), false)
    assert.notDeepEqual(cipher.encrypt(id), cipher.encrypt(id), 'a fresh IV each time')
  })

  it('refuses a tampered ciphertext', () => {
    const bytes = Buffer.from(cipher.encrypt('13812341234'))
    bytes[bytes.length - 1] = (bytes[bytes.length - 1] ?? 0) ^ 1
    assert.throws(() => cipher.decrypt(bytes), PiiError)
  })

  it('reads data written under a previous key after rotation, and writes with the new one', () => {
    const oldKey = randomBytes(32)
    const before = new PiiCipher(oldKey)
    const written = before.encrypt('13900001111')
    const rotated = new PiiCipher(randomBytes(32), [oldKey])
    assert.equal(rotated.decrypt(written), '13900001111')
    assert.notEqual(rotated.keyId, before.keyId)
    assert.throws(() => new PiiCipher(randomBytes(32)).decrypt(written), /no key/)
  })

  it('hashes for lookup deterministically, case- and space-insensitively, and differently per key', () => {
    assert.deepEqual(cipher.lookupHash('11010519491231002x'), cipher.lookupHash(' 11010519491231002X '))
    assert.notDeepEqual(cipher.lookupHash('a'), new PiiCipher(randomBytes(32)).lookupHash('a'))
  })
})

describe('masks', () => {
  it('mask phones, ID numbers and names the way screens show them', () => {
    assert.equal(maskPhone('13812341234'), '138****1234')
    assert.equal(maskIdNumber('31010419900101123X'), '310104********123X')
    assert.equal(maskName('张伟'), '张*')
    assert.equal(maskName('欧阳娜娜'), '欧***')
    assert.equal(maskPhone('12'), '**')
  })
})

describe('loadOrCreateKeyFile', () => {
  it('creates an owner-only key once and returns the same key afterwards', () => {
    const dir = tempDir()
    try {
      const first = loadOrCreateKeyFile(dir.path)
      assert.equal(first.length, 32)
      assert.deepEqual(loadOrCreateKeyFile(dir.path), first)
      assert.equal(statSync(join(dir.path, 'keys', 'pii.key')).mode & 0o777, 0o600)
    } finally {
      dir.remove()
    }
  })
})
