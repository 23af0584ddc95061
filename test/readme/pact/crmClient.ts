// The README's builder example imports "your own client" from './crmClient.js': this stand-in is
// what test/readme.test.ts puts beside that block. A plain fetch client that sends its key as a
// bearer token and reports Retry-After when rate limited.
export function createCrmClient(baseUrl: string, apiKey: string | undefined) {
  return {
    async setStage(id: string, status: string): Promise<{ status?: string; retryAfterSeconds?: number }> {
      const response = await fetch(`${baseUrl}/external/v1/opportunities/${encodeURIComponent(id)}/stage`, {
        method: 'PATCH',
        headers: { 'Content-Type': 'application/json', ...(apiKey === undefined ? {} : { Authorization: `Bearer ${apiKey}` }) },
        body: JSON.stringify({ status }),
      })
      const body = (await response.json()) as { data?: { status?: string } }
      if (response.status === 429) return { retryAfterSeconds: Number(response.headers.get('retry-after')) }
      if (!response.ok) throw new Error(`GetRaze answered ${response.status}`)
      return { status: body.data?.status }
    },
  }
}
