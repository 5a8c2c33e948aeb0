// Every test of routes.test.ts again, over a socket: the write endpoints are then answered by the
// server's fast lane (http/fast-lane.ts), which must answer exactly as the Fastify routes do.

process.env.INFLUX_TEST_OVER_SOCKET = '1';
await import('./routes.test.ts');
