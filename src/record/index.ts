// Recording real traffic: a forwarding proxy whose answers teach a mock the records, keys and
// behaviours the target showed, written as fixtures and a pact, and with `shadow` compared with
// what the mock answers to the same requests.
export { createRecorder } from './createRecorder.js'
export { startRecorder } from './startRecorder.js'
export { defaultRedactedFields } from './createPersonalRedactor.js'
export type { Recorder, RecorderOptions, RecorderReportTarget, RecordingResult, RunningRecorder } from './RecorderOptions.js'
