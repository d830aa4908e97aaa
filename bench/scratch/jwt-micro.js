const jwt = require('/work/main/node_modules/jsonwebtoken');
const { createSecretKey } = require('crypto');
const secret = 'x'.repeat(64);
const token = jwt.sign({ role: 'clerk' }, secret, { algorithm: 'HS256', subject: 'c', issuer: 'fundtrail', expiresIn: '8h' });
const key = createSecretKey(Buffer.from(secret));
const time = (label, f) => { for (let i = 0; i < 500; i++) f(); const t = process.hrtime.bigint(); const n = 5000; for (let i = 0; i < n; i++) f(); console.log(label, (Number(process.hrtime.bigint() - t) / 1000 / n).toFixed(1), 'µs'); };
time('verify(string secret)   ', () => jwt.verify(token, secret, { algorithms: ['HS256'], issuer: 'fundtrail', clockTolerance: 5 }));
time('verify(KeyObject secret)', () => jwt.verify(token, key, { algorithms: ['HS256'], issuer: 'fundtrail', clockTolerance: 5 }));
