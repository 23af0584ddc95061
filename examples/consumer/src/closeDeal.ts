import { updateOpportunityStage } from 'getraze-mock/client'
import type { StageUpdateData } from 'getraze-mock/client'

/** Where the app reaches the GetRaze API; tests leave the default, msw answers for it. */
export interface GetRazeSettings {
  baseUrl: string
  apiKey: string
}

const productionSettings: GetRazeSettings = {
  baseUrl: 'https://app.getraze.com',
  apiKey: process.env['GETRAZE_API_KEY'] ?? 'YOUR_API_KEY',
}

/** The app's own code: marks a deal as won in GetRaze. */
export async function closeDeal(id: string, settings: GetRazeSettings = productionSettings): Promise<StageUpdateData> {
  return updateOpportunityStage(settings, id, 'won')
}
