export { createJournal, checkFilter } from './createJournal.js'
export { createFaults, parseFault, maxFaultDelayMs } from './createFaults.js'
export { createMockClock } from './createMockClock.js'
export { createTestControl, defaultJournalSize, resolveJournalSize } from './createTestControl.js'
export { answerWithError } from './answerWithError.js'
export { maskApiKey, maskQuery, maskHeader, fingerprintKey } from './maskRequest.js'
export type { Journal, JournalInput } from './createJournal.js'
export type { FaultPlan, Faults, FaultsOptions } from './createFaults.js'
export type { MockClock } from './createMockClock.js'
export type { TestControlOptions, TestControlRuntime } from './createTestControl.js'
export type { ErrorAnswerContext } from './answerWithError.js'
export type {
  TestControl,
  JournalControl,
  FaultControl,
  ClockControl,
  JournalEntry,
  JournalFilter,
  Fault,
  FaultMatch,
  ActiveFault,
  Answer,
} from './TestControl.js'
