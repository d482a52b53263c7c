/**
 * The load generator of the feed benchmark, in its own process: autocannon at a fixed overall
 * rate over a list of (path, token) requests taken in turn. Latency of every response is
 * kept with sub-millisecond precision (autocannon's 'response' event) and returned sorted.
 */
import autocannon from 'autocannon';

export interface LoadRequest {
  path: string;
  token: string;
}

export interface LoadSpec {
  url: string;
  requests: LoadRequest[];
  rate: number;
  seconds: number;
  connections: number;
}

export interface LoadReport {
  latencies: number[];
  requests: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  autocannon: { p50: number; p99: number; mean: number };
}

function run(spec: LoadSpec): Promise<LoadReport> {
  let next = 0;
  const latencies: number[] = [];
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: spec.url,
        connections: spec.connections,
        overallRate: spec.rate,
        duration: spec.seconds,
        timeout: 10,
        requests: [
          {
            setupRequest: (req) => {
              const r = spec.requests[next++ % spec.requests.length]!;
              return { ...req, method: 'GET', path: r.path, headers: { ...req.headers, authorization: `Bearer ${r.token}` } };
            },
          },
        ],
      },
      (err, result) => {
        if (err) return reject(err);
        latencies.sort((a, b) => a - b);
        resolve({
          latencies,
          requests: result.requests.total,
          non2xx: result.non2xx,
          errors: result.errors,
          timeouts: result.timeouts,
          autocannon: { p50: result.latency.p50, p99: result.latency.p99, mean: result.latency.average },
        });
      },
    );
    instance.on('response', (_client: unknown, _status: number, _bytes: number, responseTime: number) => {
      latencies.push(responseTime);
    });
  });
}

process.once('message', (spec: LoadSpec) => {
  run(spec).then(
    (report) => process.send?.({ report }, () => process.exit(0)),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
});
