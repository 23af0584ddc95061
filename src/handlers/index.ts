export { createGetRazeMock } from './createGetRazeMock.js'
export type { GetRazeMock, GetRazeMockOptions } from './createGetRazeMock.js'
