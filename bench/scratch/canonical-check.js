const A = require('/work/main/dist/libs/event-store/src/canonical-json.js').canonicalJson;
const B = require('/work/main/bench/scratch/proto-src/canonical-json.js').canonicalJson;
const fc = require('/work/main/node_modules/fast-check');
// equivalence on random JSON-ish values incl. bigint, Date, undefined members, unicode keys
const val = fc.letrec((tie) => ({
  v: fc.oneof({ depthSize: 'small' }, fc.string({ unit: 'binary' }), fc.boolean(), fc.constant(null), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer(), fc.bigInt(), fc.date({ noInvalidDate: true }),
      fc.array(tie('v'), { maxLength: 4 }), fc.dictionary(fc.string({ unit: 'binary', maxLength: 6 }), fc.oneof(tie('v'), fc.constant(undefined)), { maxKeys: 5 })),
})).v;
fc.assert(fc.property(val, (v) => { let a, b, ea, eb; try { a = A(v); } catch (e) { ea = e.message; } try { b = B(v); } catch (e) { eb = e.message; } return a === b && ea === eb; }), { numRuns: 20000 });
console.log('equivalent on 20000 random values');
const ev = { eventId: '5b0c6a4e-8f0e-4a57-9a43-2a4b8c1f5e11', type: 'DisbursementRecorded', streamId: 'project-p1-00012', streamRevision: 123n, recordedAt: new Date(), data: { projectId: 'p1-00012', disbursementId: 'd000123', amount: '12345.67', category: 'construction', receiptId: 'r-a1-1', contractId: 'c1', payee: '昆明市第12工程有限公司', voucherRef: 'PZ-2024-0012345' }, metadata: { actor: { id: 'clerk-007', role: 'clerk' }, correlationId: '0b0c6a4e-8f0e-4a57-9a43-2a4b8c1f5e11', causationId: '0b0c6a4e-8f0e-4a57-9a43-2a4b8c1f5e11', effectiveDate: '2024-06-30', schemaVersion: 1 } };
const t = (f) => { for (let i = 0; i < 20000; i++) f(ev); const s = process.hrtime.bigint(); for (let i = 0; i < 100000; i++) f(ev); return Number(process.hrtime.bigint() - s) / 1000 / 100000; };
for (let k = 0; k < 2; k++) console.log('current', t(A).toFixed(2), 'µs  proto', t(B).toFixed(2), 'µs');
