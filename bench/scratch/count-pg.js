// Preload (--require): counts every pg statement of this process by its first words; dumps them at exit.
const pg = require('/work/main/node_modules/pg');
const counts = {};
const original = pg.Client.prototype.query;
pg.Client.prototype.query = function (config, ...rest) {
  const text = typeof config === 'string' ? config : (config && config.text) || '?';
  const key = text.replace(/\s+/g, ' ').trim().slice(0, 70);
  counts[key] = (counts[key] || 0) + 1;
  return original.call(this, config, ...rest);
};
process.on('exit', () => require('fs').writeFileSync(`/tmp/pgcount-${process.pid}.json`, JSON.stringify(counts, null, 1)));
