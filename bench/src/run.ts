/** Benchmark harness entry point (issue: benchmark harness). */
process.stdout.write('no scenarios yet\n');
