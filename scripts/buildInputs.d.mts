// Types of buildInputs.mjs for the TypeScript that imports it (the bench).
import type { SpawnSyncReturns } from 'node:child_process'

export declare const buildRecordPath: string
export declare function fingerprintBuildInputs(root: string): Record<string, string>
export declare function recordBuild(root: string): void
export declare function compareWithLastBuild(root: string): { upToDate: true } | { upToDate: false; reason: string }
export declare function runBuild(root: string): SpawnSyncReturns<Buffer>
