/** The sample shop API's OpenAPI document the chat specs import: GET /orders/{orderId}, and optionally POST /orders. */
export function shopOpenApi(origin: string, { version = '3.0.3', createOrder = true }: { version?: '3.0.3' | '3.1.0'; createOrder?: boolean } = {}): string {
  const create = `  /orders:
    post:
      operationId: createOrder
      summary: Place an order
      requestBody:
        content:
          application/json:
            schema: { type: object, properties: { sku: { type: string } } }
      responses: { "201": { description: Created } }
`;
  return `openapi: ${version}
info: { title: Shop API, version: "1.0" }
servers:
  - url: ${origin}/api
paths:
  /orders/{orderId}:
    get:
      operationId: getOrder
      summary: Look up an order
      parameters:
        - { name: orderId, in: path, required: true, schema: { type: string } }
      responses: { "200": { description: The order } }
${createOrder ? create : ''}`;
}
