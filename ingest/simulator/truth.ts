/**
 * The ground truth as a file: one JSON object per injected fault per line (JSON Lines), with epoch-ms times and
 * their ISO forms for people reading it. Models are scored against these records.
 */
import { mkdir, writeFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import { iso } from './calendar.ts'
import type { InjectedFault } from './faults.ts'

/** One line of the truth file. */
export function truthLine(f: InjectedFault): string {
  return JSON.stringify({
    deviceId: f.deviceId,
    communityId: f.communityId,
    kind: f.kind,
    category: f.category,
    fault: f.fault,
    onset: f.onset,
    failure: f.failure,
    end: f.end,
    onsetIso: iso(f.onset),
    failureIso: f.failure === null ? null : iso(f.failure),
    endIso: iso(f.end),
    detail: f.detail,
  })
}

/** Writes `faults` to `file` (creating its directory), replacing any previous content. */
export async function writeGroundTruth(file: string, faults: readonly InjectedFault[]): Promise<void> {
  await mkdir(dirname(file), { recursive: true })
  await writeFile(file, faults.map((f) => truthLine(f) + '\n').join(''), 'utf8')
}

/** Parses a truth file's content back into records (ISO fields are dropped). */
export function parseGroundTruth(text: string): InjectedFault[] {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const {
        onsetIso: _o,
        failureIso: _f,
        endIso: _e,
        ...record
      } = JSON.parse(line) as InjectedFault & {
        onsetIso: string
        failureIso: string | null
        endIso: string
      }
      return record
    })
}
