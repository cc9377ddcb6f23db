import { describe, expect, it } from 'vitest';
import { rateLimitRefusals, registry, routeMetrics } from './metrics';

describe('metrics', () => {
  it('answers are counted by route name and status; upstream time goes into cumulative buckets, and calls never sent are left out', async () => {
    const relay = routeMetrics('relay');
    relay.answered(200);
    relay.answered(200);
    relay.answered(429);
    relay.upstream(performance.now() - 30, { ok: true });
    relay.upstream(performance.now() - 3_000, { ok: false, code: 'timeout' });
    relay.upstream(performance.now(), { ok: false, code: 'private_address' });
    relay.upstream(performance.now(), { ok: false, code: 'destination_refused' });
    rateLimitRefusals('widget_chat_client').inc();
    const text = await registry.metrics();
    expect(text).toContain('copilot_headers_data_plane_requests_total{route="relay",status="200"} 2');
    expect(text).toContain('copilot_headers_data_plane_requests_total{route="relay",status="429"} 1');
    expect(text).toContain('# TYPE copilot_headers_upstream_duration_seconds histogram');
    expect(text).toContain('copilot_headers_upstream_duration_seconds_bucket{route="relay",outcome="answered",le="0.025"} 0');
    expect(text).toContain('copilot_headers_upstream_duration_seconds_bucket{route="relay",outcome="answered",le="+Inf"} 1');
    expect(text).toContain('copilot_headers_upstream_duration_seconds_bucket{route="relay",outcome="failed",le="2.5"} 0');
    expect(text).toContain('copilot_headers_upstream_duration_seconds_bucket{route="relay",outcome="failed",le="5"} 1');
    expect(text).toContain('copilot_headers_upstream_duration_seconds_count{route="relay",outcome="failed"} 1');
    expect(text).toContain('copilot_headers_rate_limit_refusals_total{scope="widget_chat_client"} 1');
  });
});
