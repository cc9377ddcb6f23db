import { Counter } from 'prom-client';
import { registry } from '@/core/observability/metrics';

/**
 * What a served MCP tool call came to: the API answered (2xx/3xx, or 4xx/5xx), the call was refused before
 * it left (destination, address, timeout…), or its arguments were refused (invalid, or carrying a credential).
 */
export type McpServedCallStatus = 'answered' | 'api_error' | 'refused' | 'invalid_arguments' | 'secret_in_arguments' | 'unknown_tool';

const counts = new Map<McpServedCallStatus, number>();

export function mcpServedCalls(status: McpServedCallStatus): void {
  counts.set(status, (counts.get(status) ?? 0) + 1);
}

new Counter({
  name: 'copilot_headers_mcp_served_calls_total',
  help: "Tool calls to copilots' MCP endpoints (/api/v1/mcp/<id>), by status (answered, api_error, refused, invalid_arguments, secret_in_arguments, unknown_tool).",
  labelNames: ['status'] as const,
  registers: [registry],
  collect() {
    this.reset();
    for (const [status, n] of counts) this.inc({ status }, n);
  },
});
