/** The path prefix of every external API endpoint. */
export const apiBasePath = '/external/v1'
