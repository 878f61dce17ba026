/**
 * `npm run audit -- <command>`:
 *
 *   verify [--json]   recompute every entry and check it against its MAC and every signed tree head (from the
 *                     table and from DATA_DIR/audit/tree-heads.jsonl); exit 1 on any problem
 *   sign              issue a signed tree head for the log as it is now
 *   head              print the latest signed tree head
 */
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import {
  AuditLog,
  loadOrCreateKeyFile,
  readHeadFile,
  treeHeadToJson,
  TreeHeadSigner,
  verifyAuditLog,
} from '../../data/index.ts'
import { defaultIo, isEntry, openCliStores, runCli, type CliIo } from './open.ts'

/** Runs the command with `args`; returns the exit code. `config` defaults to the process's configuration. */
export async function auditMain(args: readonly string[], io: CliIo = defaultIo): Promise<number> {
  const { positionals, values } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: { json: { type: 'boolean', default: false } },
  })
  const command = positionals[0]
  if (!command || !['verify', 'sign', 'head'].includes(command)) {
    io.err('usage: npm run audit -- verify [--json] | sign | head\n')
    return 2
  }
  const stores = await openCliStores(io.config)
  try {
    const { config, postgres } = stores
    const signer = new TreeHeadSigner(
      config.api.auditSigningKey ?? loadOrCreateKeyFile(config.dataDir, 'audit'),
    )
    const headFile = join(config.dataDir, 'audit', 'tree-heads.jsonl')
    const log = new AuditLog(postgres, headFile)
    if (command === 'sign' || command === 'head') {
      const head = command === 'sign' ? await log.issueHead(signer) : await log.latestHead()
      io.out(`${head ? JSON.stringify(treeHeadToJson(head)) : 'no tree head yet'}\n`)
      return 0
    }
    const file = readHeadFile(headFile)
    const report = await verifyAuditLog(
      postgres,
      signer.macKey,
      new Map([[signer.keyId, signer.publicKey]]),
      file.heads,
    )
    const problems = [...report.problems]
    if (file.bad > 0) problems.push({ kind: 'edited', detail: `${file.bad} unreadable lines in ${headFile}` })
    if (values.json) {
      io.out(JSON.stringify({ ...report, ok: problems.length === 0, problems }) + '\n')
    } else {
      io.out(
        `audit log: ${report.entries} entries, ${report.heads} signed heads, ${report.coveredEntries} entries covered by a signature\n`,
      )
      for (const problem of problems) io.out(`  ${problem.kind}: ${problem.detail}\n`)
      io.out(problems.length === 0 ? 'OK: no tampering found\n' : `FAILED: ${problems.length} problems\n`)
    }
    return problems.length === 0 ? 0 : 1
  } finally {
    await stores.close()
  }
}

if (isEntry(import.meta.url)) runCli(() => auditMain(process.argv.slice(2)))
