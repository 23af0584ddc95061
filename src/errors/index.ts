export { GetRazeMockError } from './GetRazeMockError.js'
export type { GetRazeMockErrorCode } from './GetRazeMockError.js'
