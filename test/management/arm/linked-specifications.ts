/**
 * Stand-ins for the documents Azure's import-by-link examples point at on the public internet
 * (the Swagger Petstore), which tests cannot reach. Each holds what the example's response shows
 * Azure took from the document (title, description, server or host and base path, scheme) and
 * one operation; the replay serves it from a loopback server and links to that instead.
 */

/** The OpenAPI 3 document of ApiManagementCreateApiUsingOai3Import.json (format openapi-link, YAML). */
const petstoreOpenApi3 = `openapi: 3.0.0
info:
  title: Swagger Petstore
  version: 1.0.0
servers:
  - url: http://petstore.swagger.io/v1
paths:
  /pets:
    get:
      operationId: listPets
      responses:
        '200':
          description: A paged array of pets
`;

/** The Swagger 2 document of ApiManagementCreateApiUsingSwaggerImport.json (format swagger-link-json). */
const petstoreSwagger2 = JSON.stringify({
  swagger: '2.0',
  info: {
    title: 'Swagger Petstore',
    version: '1.0.0',
    description:
      'This is a sample server Petstore server.  You can find out more about Swagger at [http://swagger.io](http://swagger.io) or on [irc.freenode.net, #swagger](http://swagger.io/irc/).  For this sample, you can use the api key `special-key` to test the authorization filters.',
  },
  host: 'petstore.swagger.io',
  basePath: '/v2',
  schemes: ['http'],
  paths: { '/pet/{petId}': { get: { operationId: 'getPetById', parameters: [{ name: 'petId', in: 'path', required: true, type: 'integer' }], responses: { '200': { description: 'successful operation' } } } } },
});

/** The document served in place of each example's link, by example file. */
export const linkedSpecifications: Record<string, string> = {
  'ApiManagementCreateApiUsingOai3Import.json': petstoreOpenApi3,
  'ApiManagementCreateApiUsingSwaggerImport.json': petstoreSwagger2,
};
