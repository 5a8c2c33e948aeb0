// Every test of routes.test.ts again, with bodies gunzipped and parsed in the decode pool's worker
// threads: the answers, partial failures and stored samples must be the same.

process.env.INFLUX_TEST_DECODE_WORKERS = '2';
await import('./routes.test.ts');
