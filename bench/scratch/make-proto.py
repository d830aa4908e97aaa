#!/usr/bin/env python3
"""Copies dist/ to bench/scratch/proto-<name>/dist and applies prototype patches to the compiled JS.
Usage: make-proto.py <name> patch[,patch...]   (scratch: measures lib changes without editing the libs)"""
import os, re, shutil, sys
ROOT = '/work/main'
name, patches = sys.argv[1], [p for p in (sys.argv[2] if len(sys.argv) > 2 else '').split(',') if p]
out = f'{ROOT}/bench/scratch/proto-{name}/dist'
shutil.rmtree(os.path.dirname(out), ignore_errors=True)
shutil.copytree(f'{ROOT}/dist', out, ignore=shutil.ignore_patterns('*.map'))

def edit(rel, old, new, count=1):
    path = f'{out}/{rel}'
    s = open(path).read()
    if old not in s:
        sys.exit(f'patch anchor not found in {rel}: {old[:80]!r}')
    s = s.replace(old, new, count)
    open(path, 'w').write(s)

def jwt_keyobject():
    # verify with a KeyObject made once per secret: jsonwebtoken otherwise tries createPublicKey(secret) and catches its throw on every call.
    edit('libs/auth/src/tokens.js', 'function verifyToken(token, secret) {',
         'const SECRET_KEYS = new Map();\nfunction keyFor(secret) { let k = SECRET_KEYS.get(secret); if (!k) { k = require("node:crypto").createSecretKey(Buffer.from(secret, "utf8")); SECRET_KEYS.set(secret, k); } return k; }\nfunction verifyToken(token, secret) {')
    edit('libs/auth/src/tokens.js', 'jsonwebtoken_1.default.verify(token, secret,', 'jsonwebtoken_1.default.verify(token, keyFor(secret),')

def canonical_fast():
    shutil.copy(f'{ROOT}/bench/scratch/proto-src/canonical-json.js', f'{out}/libs/event-store/src/canonical-json.js')

def trace_single_pass():
    edit('libs/projections/src/figures/trace.js',
         'const folded = contributing.reduce(figure_terms_1.foldTerms, (0, figure_terms_1.emptyTerms)());',
         '''const foldedFigures = new Map();
    for (const { contribution } of lines) {
        const current = foldedFigures.get(contribution.key) ?? {};
        const next = contribution.mode === 'set' ? contribution.amount : (current[contribution.term] ?? 0n) + contribution.amount;
        foldedFigures.set(contribution.key, { ...current, [contribution.term]: next });
    }
    const folded = { scope: 'project', figures: foldedFigures };''')

def named_statements():
    # pg named prepared statements: parsed and planned once per connection instead of on every call.
    f = 'libs/event-store/src/postgres/postgres-event-store.js'
    edit(f, 'const result = await this.pool.query(`INSERT INTO events', 'const result = await this.pool.query({ name: "fundtrail-append", text: `INSERT INTO events')
    edit(f, '''         RETURNING global_position, stream_revision`, [''', '''         RETURNING global_position, stream_revision`, values: [''')
    s = open(f'{out}/{f}').read()
    # close the values array + object of the append call
    s = s.replace('''                rows.map((r) => r.prevHash),
            ]);''', '''                rows.map((r) => r.prevHash),
            ] });''', 1)
    open(f'{out}/{f}', 'w').write(s)

def rebuild_prefetch():
    # Read the next batch while the current one is applied (one connection reads, one writes).
    f = 'libs/projections/src/runner/rebuild.js'
    edit(f, '''    for await (const event of store.readAll({ fromPosition: from, batchSize })) {
        batch.push(event);
        if (batch.length >= batchSize)
            await flush();
    }
    if (batch.length > 0)
        await flush();''', '''    if (typeof store.readBatch === 'function') {
        let next = store.readBatch(from, batchSize);
        for (;;) {
            const current = await next;
            if (current.length === 0) break;
            next = current.length < batchSize ? Promise.resolve([]) : store.readBatch(current[current.length - 1].globalPosition, batchSize);
            batch = current;
            await flush();
        }
    } else {
        for await (const event of store.readAll({ fromPosition: from, batchSize })) {
            batch.push(event);
            if (batch.length >= batchSize)
                await flush();
        }
        if (batch.length > 0)
            await flush();
    }''')

def rebuild_one_tx():
    # Both projectors' batch in one transaction (one BEGIN/COMMIT and one fsync per batch instead of two).
    f = 'libs/projections/src/runner/rebuild.js'
    edit(f, '''        for (const projector of projectors)
            await (0, projection_runner_1.applyBatch)(pool, projector, shadow(projector), projector_1.REBUILD_TABLES, batch);''',
         '''        const client = await pool.connect();
        try {
            await client.query('BEGIN');
            for (const projector of projectors)
                await (0, projection_runner_1.applyInTransaction)(client, projector, shadow(projector), projector_1.REBUILD_TABLES, batch);
            await client.query('COMMIT');
        } catch (error) {
            await client.query('ROLLBACK').catch(() => undefined);
            throw error;
        } finally {
            client.release();
        }''')

def verify_prefetch():
    f = 'libs/projections/src/queries/audit-verify.js'
    s = open(f'{out}/{f}').read()
    if 'store.readAll({ batchSize: 5000 })' not in s: sys.exit('verify anchor')
    s = s.replace('store.readAll({ batchSize: 5000 })', '(typeof store.readBatch === "function" ? prefetched(store, 5000) : store.readAll({ batchSize: 5000 }))')
    s += '''
async function* prefetched(store, size) {
    let next = store.readBatch(0n, size);
    for (;;) {
        const batch = await next;
        if (batch.length === 0) return;
        next = batch.length < size ? Promise.resolve([]) : store.readBatch(batch[batch.length - 1].globalPosition, size);
        yield* batch;
    }
}
'''
    open(f'{out}/{f}', 'w').write(s)

def async_log():
    # pino to stdout through an asynchronous sonic-boom (buffered) instead of a synchronous write per line.
    f = 'apps/api/src/logging/pino-logger.js'
    s = open(f'{out}/{f}').read()
    m = re.search(r'timestamp: pino_1\.default\.stdTimeFunctions\.isoTime,\n    \}\)', s)
    if not m: sys.exit('pino anchor')
    s = s[:m.end()-1] + ', pino_1.default.destination({ dest: 1, sync: false, minLength: 4096 }))' + s[m.end():]
    open(f'{out}/{f}', 'w').write(s)

def projector_skip():
    # A live batch with nothing for a projector: advance in memory, persist the checkpoint at most once a second.
    edit('libs/projections/src/runner/bonds.projector.js', "        this.name = 'bonds';", "        this.name = 'bonds';\n        this.handles = (event) => event.streamId.startsWith(BOND_STREAM);")
    edit('libs/projections/src/runner/project-figures.projector.js', "        this.name = 'project-figures';", "        this.name = 'project-figures';\n        this.handles = (event) => event.streamId.startsWith(PROJECT_STREAM);")
    edit('libs/projections/src/runner/projection-runner.js', """                for await (const batch of (0, batches_1.inBatches)(this.subscription, this.options.batchSize ?? 1000)) {
                    const position""", """                let persisted = Date.now();
                for await (const batch of (0, batches_1.inBatches)(this.subscription, this.options.batchSize ?? 1000)) {
                    if (typeof this.projector.handles === 'function' && !batch.some(this.projector.handles) && Date.now() - persisted < 1000) {
                        this.advanceTo(batch[batch.length - 1].globalPosition);
                        continue;
                    }
                    persisted = Date.now();
                    const position""")

def rebuild_batch_5000():
    edit('apps/cli/src/commands/rebuild.command.js', ': 2000;', ': 5000;')

PATCHES = {k: v for k, v in globals().items() if callable(v) and k not in ('edit',) and not k.startswith('_')}
for p in patches:
    PATCHES[p.replace('-', '_')]()
print(out)
