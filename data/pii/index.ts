/** Personal-data protection: encryption at rest, lookup hashes, masks, and the embedded key file. */
export { PiiCipher, PiiError } from './cipher.ts'
export { maskIdNumber, maskName, maskPhone } from './mask.ts'
export { loadOrCreateKeyFile } from './key-file.ts'
