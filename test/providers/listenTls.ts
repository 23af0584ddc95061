// A provider over https, for the recorder's https targets: the same request handler as the
// provider's http server, behind a self-signed certificate for 127.0.0.1 and localhost
// (test/providers/tls/, valid until 2126; made with `openssl req -x509 -newkey ec ...`). A process
// trusts it only when started with NODE_EXTRA_CA_CERTS naming `targetCertificate`.
import { readFileSync } from 'node:fs'
import type { Server } from 'node:http'
import { createServer } from 'node:https'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'

/** The certificate (PEM) the https provider sends, to trust it with NODE_EXTRA_CA_CERTS. */
export const targetCertificate = join(import.meta.dirname, 'tls', 'target-cert.pem')

/** Serves what `server` serves, over https on a free loopback port. */
export async function listenTls(server: Server): Promise<{ url: string; close(): Promise<void> }> {
  const tls = createServer({ key: readFileSync(join(import.meta.dirname, 'tls', 'target-key.pem')), cert: readFileSync(targetCertificate) })
  for (const listener of server.listeners('request')) tls.on('request', listener as (...args: unknown[]) => void)
  await new Promise<void>((resolve) => tls.listen(0, '127.0.0.1', resolve))
  const { port } = tls.address() as AddressInfo
  return {
    url: `https://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        tls.close(() => resolve())
        tls.closeAllConnections()
      }),
  }
}
