const { Client } = require('pg');
(async () => {
  const c = new Client('postgres://postgres@127.0.0.1:5432/test'); await c.connect();
  for (const [label, q] of [['simple', 'SELECT 1'], ['extended', { text: 'SELECT $1::int', values: [1] }], ['named', { name: 'x', text: 'SELECT $1::int', values: [1] }]]) {
    for (let i = 0; i < 500; i++) await c.query(q);
    const n = 3000; const cpu = process.cpuUsage(); const t = performance.now();
    for (let i = 0; i < n; i++) await c.query(q);
    const u = process.cpuUsage(cpu);
    console.log(label.padEnd(9), 'wall µs/q', ((performance.now() - t) * 1000 / n).toFixed(0), 'user µs/q', (u.user / n).toFixed(0), 'sys µs/q', (u.system / n).toFixed(0));
  }
  await c.end();
})();
