import { expect, it } from 'vitest'
import { createExchangeRecorder } from './createExchangeRecorder.js'

const exchange = (path: string) => ({ method: 'PATCH', path, status: 200, headers: {}, body: '{}' })

it('starts a new interaction at each setup that follows a request or teardown', () => {
  const recorder = createExchangeRecorder()
  recorder.stateCall('setup')
  recorder.stateCall('setup')
  recorder.exchange(exchange('/a'))
  recorder.stateCall('teardown')
  recorder.stateCall('setup')
  recorder.stateFailure({ state: 'x', action: 'setup', message: 'boom' })
  recorder.stateFailure({ state: 'x', action: 'setup', message: 'boom' })
  recorder.stateCall('setup')
  recorder.exchange(exchange('/b'))
  expect(recorder.interactions.map((interaction) => interaction.exchanges.map((entry) => entry.path))).toEqual([['/a'], ['/b']])
  expect(recorder.interactions[1]!.stateFailures).toEqual([{ state: 'x', action: 'setup', message: 'boom' }])
})

it('treats every request as an interaction when no state endpoint is used', () => {
  const recorder = createExchangeRecorder()
  recorder.exchange(exchange('/a'))
  recorder.exchange(exchange('/b'))
  expect(recorder.interactions).toHaveLength(2)
})
