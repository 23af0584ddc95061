export { buildOpenApiDocument } from './buildOpenApiDocument.js'
export { toYaml } from './toYaml.js'
export type { OpenApiDocument, OpenApiDocumentOptions } from './buildOpenApiDocument.js'
