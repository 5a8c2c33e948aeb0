// A receive thread that ends itself 400 ms after it starts, for the restart test in listen.test.ts.
import '../../../src/inputs/udp-receiver/thread.ts';

setTimeout(() => process.exit(3), 400);
