import { connect } from 'node:net'
import { expect, it, onTestFinished } from 'vitest'
import { startMockServer } from '../../src/server/startMockServer.js'
import type { RunningMockServer } from '../../src/server/createMockServer.js'
import { docsNow } from '../support/transports.js'

// Issue 15, item 11: the 413 was lost to a TCP reset when the client streamed its body without
// reading (9 of 10 raw clients, 1 of 30 fetch calls of 50 MiB): the server closed the connection
// while the body was still arriving.

async function start(): Promise<RunningMockServer> {
  const running = await startMockServer({ now: docsNow, port: 0 })
  onTestFinished(() => running.close())
  return running
}

const chunk = Buffer.alloc(64 * 1024, 0x61)
const head = (length: number) =>
  `PATCH /external/v1/opportunities/opp_abc123def456/stage HTTP/1.1\r\nHost: 127.0.0.1\r\nX-API-Key: YOUR_API_KEY\r\nContent-Length: ${length}\r\n\r\n`

/**
 * A client that writes its whole body before it reads anything (socket paused), then reads what
 * came back. Stops writing if the connection closes, or after `limit` bytes.
 */
function uploadThenRead(url: string, declared: number, limit = declared): Promise<{ text: string; sent: number }> {
  const socket = connect(Number(new URL(url).port), '127.0.0.1')
  socket.pause()
  const received: Buffer[] = []
  let sent = 0
  socket.on('data', (data: Buffer) => received.push(data))
  socket.on('error', () => undefined)
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()))
  const drained = () => new Promise<void>((resolve) => socket.once('drain', resolve))
  return new Promise((resolve) => {
    socket.once('connect', async () => {
      socket.write(head(declared))
      let open = true
      void closed.then(() => (open = false))
      while (open && sent < limit) {
        const more = socket.write(chunk)
        sent += chunk.length
        if (!more) await Promise.race([drained(), closed])
      }
      socket.resume()
      await closed
      resolve({ text: Buffer.concat(received).toString('latin1'), sent })
    })
  })
}

it('delivers the 413 to raw clients that send their whole 16 MiB body before reading', async () => {
  const { url } = await start()
  const size = 16 * 1024 * 1024

  const outcomes: string[] = []
  for (let run = 0; run < 5; run++) outcomes.push((await uploadThenRead(url, size)).text.slice(0, 12))

  expect(outcomes).toEqual(Array(5).fill('HTTP/1.1 413'))
})

it('delivers the 413 to fetch uploading 16 MiB', async () => {
  const { url } = await start()
  const body = Buffer.alloc(16 * 1024 * 1024, 0x61)

  const statuses: number[] = []
  for (let run = 0; run < 5; run++) {
    const response = await fetch(`${url}/external/v1/opportunities/opp_abc123def456/stage`, { method: 'PATCH', headers: { 'x-api-key': 'YOUR_API_KEY' }, body })
    await response.arrayBuffer()
    statuses.push(response.status)
  }

  expect(statuses).toEqual(Array(5).fill(413))
})

it('stops reading an upload that goes on past the drain limit, and closes the connection', async () => {
  const { url } = await start()
  const declared = 1024 * 1024 * 1024

  const { sent } = await uploadThenRead(url, declared, 512 * 1024 * 1024)

  // The server drains at most 64 MiB (or for 3 s) after its answer, then closes: the client
  // cannot get 512 MiB through.
  expect(sent).toBeLessThan(512 * 1024 * 1024)
})
