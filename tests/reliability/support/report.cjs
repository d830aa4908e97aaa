// `npm run reliability:report`: rewrites the figures of docs/RELIABILITY.md from the committed
// evidence in tests/reliability/recorded/*.json. Only the text between
// `<!-- generated:NAME -->` and `<!-- /generated -->` is written; the prose around it is left alone.
// Plain CommonJS so it runs without a build, from the campaign runner and from Jest alike.
const { readdirSync, readFileSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');

const DOCUMENT = join('docs', 'RELIABILITY.md');
const RECORDED = join('tests', 'reliability', 'recorded');
const BLOCK = /<!-- generated:([a-z0-9-]+) -->\n([\s\S]*?)<!-- \/generated -->/g;

/** Every recorded file by its suite name. */
function readRecorded(root) {
  const dir = join(root, RECORDED);
  const recorded = {};
  for (const name of readdirSync(dir)
    .filter((file) => file.endsWith('.json'))
    .sort()) {
    const figures = JSON.parse(readFileSync(join(dir, name), 'utf8'));
    recorded[figures.suite ?? name.replace(/\.json$/, '')] = figures;
  }
  return recorded;
}

// ---- formatting: the recorded values as they are, grouped by thousands --------------------------

/** 2546 → "2 546", 2916.4 → "2 916.4"; a value that is not a finite number is an error, not "NaN". */
function num(value) {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new Error(`not a recorded number: ${JSON.stringify(value)}`);
  const [whole, fraction] = String(Math.abs(value)).split('.');
  const grouped = whole.length > 3 ? whole.replace(/\B(?=(\d{3})+(?!\d))/g, ' ') : whole;
  return `${value < 0 ? '-' : ''}${grouped}${fraction === undefined ? '' : `.${fraction}`}`;
}

/** "2026-11-27T09:54:32.031Z" → "2026-11-27 09:54 UTC". */
function when(iso) {
  const match = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})/.exec(String(iso));
  if (!match) throw new Error(`not a recorded instant: ${JSON.stringify(iso)}`);
  return `${match[1]} ${match[2]} UTC`;
}

/** The status of a tally key such as "503 STORE_UNAVAILABLE" or "disbursement 409 INSUFFICIENT_FUNDS". */
function statusOf(key) {
  const match = /(?:^|\s)([1-5]\d\d)(?:\s|$)/.exec(key);
  return match ? Number(match[1]) : undefined;
}

/** Σ of a tally's counts whose key passes the test. */
function sumWhere(tally, test) {
  return Object.entries(tally ?? {})
    .filter(([key]) => test(key))
    .reduce((sum, [, count]) => sum + count, 0);
}

/** A tally as "count × key" in descending count, e.g. "1 292 × 201 · 644 × 503 STORE_UNAVAILABLE". */
function tallyText(tally) {
  return Object.entries(tally)
    .sort(([a, x], [b, y]) => y - x || a.localeCompare(b))
    .map(([key, count]) => `${num(count)} × ${key}`)
    .join(' · ');
}

const yes = (flag) => (flag === true ? 'yes' : flag === false ? 'no' : String(flag));
const latencyText = (l) => `n ${num(l.n)} · p50 ${num(l.p50)} · p95 ${num(l.p95)} · p99 **${num(l.p99)}** · max ${num(l.max)}`;
const rows = (pairs) => ['| | |', '|---|---|', ...pairs.map(([label, value]) => `| ${label} | ${value} |`)].join('\n');

/** Answers that are a 5xx other than 503 (the one server error the contract allows), in every recorded tally. */
function serverErrors(r) {
  const tallies = [
    r['database-faults'].answersByStatus,
    r['postgres-crash'].answersByStatus,
    r['hostile-input'].byStatus,
    r['concurrency-soak'].finalOutcomes,
    r['crash-safety'].retryOutcomes,
  ];
  return tallies.reduce((sum, tally) => sum + sumWhere(tally, (key) => statusOf(key) >= 500 && statusOf(key) !== 503), 0);
}

const hostileInputs = (h) => h.bodies + h.queries + h.paths + h.wire;

// ---- the blocks ------------------------------------------------------------------------------------

const BLOCKS = {
  summary(r) {
    const c = r.campaign;
    const lost = r['crash-safety'].eventsLost + r['database-faults'].eventsLost + r['concurrency-soak'].eventsLost + r['postgres-crash'].eventsLost;
    const twice = r['crash-safety'].duplicates + r['database-faults'].duplicates + r['postgres-crash'].duplicates;
    return [
      `**Last run: ${when(c.startedAt)} to ${when(c.finishedAt)}, ${num(c.wallSeconds)} s of wall time; ${num(c.testFiles)} test files, ` +
        `${num(c.tests)} tests: ${num(c.testsPassed)} passed, ${num(c.testsFailed)} failed, ${num(c.testsSkipped)} skipped.** ` +
        `Machine: ${num(c.machine.cpus)} cores, load average ${num(c.machine.loadAverageAtStart)} when the run began (other jobs shared it), Node ${c.machine.node}.`,
      '',
      `Acknowledged events lost: **${num(lost)}**. Stored twice: **${num(twice)}**. ` +
        `Invariant violations: **${num(r['concurrency-soak'].invariantViolations)}**. ` +
        `5xx answers other than 503 in the recorded tallies: **${num(serverErrors(r))}**.`,
    ].join('\n');
  },

  promises(r) {
    const crash = r['crash-safety'];
    const faults = r['database-faults'];
    const soak = r['concurrency-soak'];
    const idem = r['idempotency-under-failure'];
    const hostile = r['hostile-input'];
    const sec = r.security;
    const tamper = r['tamper-evidence'];
    const pg = r['postgres-crash'];
    const unavailable = (tally) => num(sumWhere(tally, (key) => statusOf(key) === 503));
    const fivexx = (tally) => num(sumWhere(tally, (key) => statusOf(key) >= 500 && statusOf(key) !== 503));
    return [
      '| # | promise | test | last run |',
      '|---|---|---|---|',
      `| 1 | SIGKILL of the API under load loses no acknowledged write and duplicates nothing; after catch-up the read models equal a clean rebuild | \`crash-safety.reliability.spec.ts\` | ${num(crash.crashes.length)} kills under ${num(crash.clients)} clients, ${num(crash.requestsSent)} requests, ${num(crash.acknowledgedTotal)} acknowledged, ${num(crash.eventsLost)} lost, ${num(crash.duplicates)} duplicated |`,
      `| 2 | When the database restarts, has its connections terminated or freezes: 503 problem+json, never a 500, never a hang; the API recovers by itself; nothing is lost | \`database-faults.reliability.spec.ts\` | ${num(faults.faults.length)} faults, ${num(faults.requestsSent)} requests, ${unavailable(faults.answersByStatus)} × 503, ${fivexx(faults.answersByStatus)} × 500, slowest answer ${num(faults.slowestAnswerMs)} ms, ${num(faults.eventsLost)} lost |`,
      `| 3 | ≥ 50 clients for ≥ 60 s break no invariant and cause no deadlock; p99 is reported | \`concurrency-soak.reliability.spec.ts\` | ${num(soak.clients)} clients, ${num(soak.loadSeconds)} s, ${num(soak.requestsSent)} requests, ${num(soak.eventsInLog)} events folded, ${num(soak.invariantViolations)} violations, ${num(soak.deadlocks)} deadlocks |`,
      `| 4 | A retry of an in-flight request gets one event and the first answer, byte for byte | \`idempotency-under-failure.reliability.spec.ts\` | ${num(Object.keys(idem).filter((k) => !['suite', 'finishedAt'].includes(k)).length)} scenarios; ${num(idem.storm.attempts)} attempts at once under one key → ${num(idem.storm.events)} event, identical bytes: ${yes(idem.storm.sameBytes)} |`,
      `| 5 | Hostile input: never a 500, problem+json on every 4xx, nothing appended when a request is refused; dates that do not exist are 400; text is stored in NFC, invisible characters refused | \`hostile-input.reliability.spec.ts\` | ${num(hostileInputs(hostile))} inputs, ${fivexx(hostile.byStatus)} × 500; ${num(hostile.dates.runs)} fuzzed dates and instants, ${num(hostile.text.runs)} fuzzed labels |`,
      `| 6 | Bad tokens (a token without \`exp\` among them) get 401, the role matrix holds, actors cannot be spoofed, secrets stay out of logs, helmet headers are sent, 401s are rate limited | \`security.reliability.spec.ts\`, \`auth-failure-limiter.reliability.spec.ts\` | ${num(sec.badTokens.kinds)} kinds of bad token, all 401: ${yes(sec.badTokens.all401)}; ${num(sec.getRoleMatrix.checked)} role × GET-route checks; ${num(sec.logScan.secretsLookedFor)} secrets looked for in ${num(sec.logScan.bytes)} bytes of logs, ${num(sec.logScan.found)} found |`,
      `| 7 | Changing, deleting or reordering a stored event is reported with its stream and revision | \`tamper-evidence.reliability.spec.ts\` | ${num(tamper.cases.length)} tamperings, each reported (table in section 7) |`,
      `| 8 | kill -9 of the embedded PostgreSQL postmaster under load: the API restarts its server and recovers by itself, 503 problem+json meanwhile (never a 500), no acknowledged write lost or doubled, read models equal a clean rebuild | \`postgres-crash.reliability.spec.ts\` | ${num(pg.crashes.length)} postmaster kills under ${num(pg.clients)} clients, ${num(pg.requestsSent)} requests, ${unavailable(pg.answersByStatus)} × 503, ${fivexx(pg.answersByStatus)} × 500, ${num(pg.disbursementsAcknowledged)} acknowledged, ${num(pg.eventsLost)} lost, ${num(pg.duplicates)} duplicated |`,
    ].join('\n');
  },

  'crash-safety'(r) {
    const c = r['crash-safety'];
    const bond = r['crash-safety-bond-assignment'];
    const crashes = c.crashes.map((k) => `at ${num(k.at)} ms with ${num(k.acknowledgedBefore)} acknowledged, ${num(k.inFlight)} in flight`).join('; ');
    return rows([
      ['finished', when(c.finishedAt)],
      ['clients', num(c.clients)],
      ['crashes', `${num(c.crashes.length)} (${crashes})`],
      ['requests sent', num(c.requestsSent)],
      ['acknowledged on the first attempt', num(c.acknowledgedFirstTime)],
      ['left unanswered by a crash', num(c.unansweredByCrash)],
      [
        'their retries',
        `${tallyText(c.retryOutcomes)}; ${num(c.retriesAnsweredFromTheLog)} answered from events the dead process had already committed (\`Idempotency-Replayed: true\`)`,
      ],
      ['acknowledged in total / events in the log', `${num(c.acknowledgedTotal)} / ${num(c.eventsInLog)} (the log also holds the set-up events)`],
      ['**events lost / stored twice**', `**${num(c.eventsLost)} / ${num(c.duplicates)}**`],
      ['log scanned for secrets', `${num(c.logBytesScanned)} bytes at debug level, none found`],
      ['duration', `${num(c.seconds)} s`],
      [
        'bond assignment killed between its appends',
        `retry ${num(bond.retryStatus)}, replayed: ${yes(bond.retryReplayed)}; ${num(bond.bondAssignments)} assignment; ${num(bond.projectReceipts)} receipt (written by ${bond.receiptWrittenBy.map((actor) => `\`${actor}\``).join(', ')})`,
      ],
    ]);
  },

  'database-faults'(r) {
    const d = r['database-faults'];
    const fault = (f) => {
      const parts = [`${f.kind} at ${num(f.at)} ms`];
      if (f.downMs !== undefined) parts.push(`down ${num(f.downMs)} ms`);
      if (f.terminated !== undefined) parts.push(`${num(f.terminated)} connections`);
      return parts.join(', ');
    };
    return rows([
      ['finished', when(d.finishedAt)],
      ['load', `${num(d.writers)} writers, ${num(d.readers)} readers`],
      ['faults injected', `${num(d.faults.length)}: ${d.faults.map(fault).join('; ')}`],
      ['requests sent', `${num(d.requestsSent)} (writes, their retries, and reads)`],
      ['answers', tallyText(d.answersByStatus)],
      ['latency (ms)', latencyText(d.latencyMs)],
      ['slowest answer', `${num(d.slowestAnswerMs)} ms; the API's answer deadline in this test is ${num(d.answerDeadlineMs)} ms`],
      ['disbursements acknowledged', num(d.disbursementsAcknowledged)],
      ['writes retried after a fault', `${num(d.retriedAfterAFault)}, each acknowledged once in the end`],
      ['**events lost / stored twice**', `**${num(d.eventsLost)} / ${num(d.duplicates)}**`],
      ['recovery after the last fault', `the first new write succeeded ${num(d.recoveryAfterLastFaultMs)} ms after \`/health\` was ready`],
      ['duration', `${num(d.seconds)} s`],
    ]);
  },

  'concurrency-soak'(r) {
    const s = r['concurrency-soak'];
    const projects = Object.entries(s.perProject).map(
      ([stream, p]) => `| \`${stream}\` | ${num(p.receipts)} | ${num(p.disbursements)} | ${num(p.reversals)} | ${p.received} | ${p.disbursed} |`,
    );
    const latency = Object.entries(s.latencyMsPerAttempt).map(
      ([kind, l]) => `| ${kind} | ${num(l.n)} | ${num(l.p50)} | ${num(l.p95)} | **${num(l.p99)}** | ${num(l.max)} |`,
    );
    const reasons = Object.keys(s.retryReasons).length === 0 ? '' : ` (${tallyText(s.retryReasons)})`;
    return [
      rows([
        ['finished / seed', `${when(s.finishedAt)} / ${num(s.seed)}`],
        ['clients / duration / hot projects', `${num(s.clients)} / ${num(s.loadSeconds)} s / ${num(s.hotProjects)}`],
        ['requests sent', `${num(s.requestsSent)} (${num(s.requestsPerSecond)}/s)`],
        ['final answers', tallyText(s.finalOutcomes)],
        ['writes retried', `${num(s.retriedWrites)}${reasons}`],
        ['events in the log, folded', num(s.eventsInLog)],
        ['**invariant violations / deadlocks / lost**', `**${num(s.invariantViolations)} / ${num(s.deadlocks)} / ${num(s.eventsLost)}**`],
      ]),
      '',
      'Per project, as the independent fold computed it (amounts in fen):',
      '',
      '| stream | receipts | disbursements | reversals | received | disbursed |',
      '|---|---|---|---|---|---|',
      ...projects,
      '',
      'Latency by endpoint kind (per attempt, ms):',
      '',
      '| kind | n | p50 | p95 | p99 | max |',
      '|---|---|---|---|---|---|',
      ...latency,
    ].join('\n');
  },

  'idempotency-under-failure'(r) {
    const i = r['idempotency-under-failure'];
    const t = i.timeoutThenRetry;
    const c = i.concurrentRetry;
    const s = i.storm;
    const l = i.longFirstAttempt;
    return [
      '| scenario | last run |',
      '|---|---|',
      `| The client gives up and retries while the first attempt is held | first attempt: ${t.firstAttempt}; the retry waited, then got ${num(t.retry)} (replayed: ${yes(t.replayed)}); a third call got the same bytes: ${yes(t.sameBytes)}; ${num(t.events)} event |`,
      `| First attempt and a concurrent retry, both waited for | ${c.answers.map(num).join(' and ')}; same body: ${yes(c.sameBody)}, same bytes: ${yes(c.sameBytes)} |`,
      `| ${num(s.attempts)} simultaneous attempts under one key | ${num(s.attempts)} answers, ${num(s.replayed)} replayed, all the same bytes: ${yes(s.sameBytes)}; ${num(s.events)} event |`,
      `| First attempt held for longer than the lease | the retry waited ${num(l.retryWaitedMs)} ms, then got ${l.retryAnswer} with \`Retry-After\`; the same key with another body got ${l.otherBodyAnswer}; a later retry got ${num(l.laterRetry)}, the original answer's bytes: ${yes(l.sameBytes)}; ${num(l.events)} event |`,
    ].join('\n');
  },

  'hostile-input'(r) {
    const h = r['hostile-input'];
    const answers = Object.entries(h.byStatus)
      .sort(([a, x], [b, y]) => y - x || a.localeCompare(b))
      .map(([key, count]) => `| ${key} | ${num(count)} |`);
    return [
      rows([
        ['finished', when(h.finishedAt)],
        ['runs per property', num(h.runsPerProperty)],
        ['inputs', `${num(hostileInputs(h))}: ${num(h.bodies)} bodies, ${num(h.queries)} query strings, ${num(h.paths)} path ids, ${num(h.wire)} on the wire`],
        ['valid fuzzed bodies, accepted', `${num(h.accepted)}, each adding exactly the events it named`],
        [
          'dates and instants (`asOf`, `asOfRecorded`, `asOfEffective`)',
          `${num(h.dates.runs)}: ${num(h.dates.existed)} existed and got 200, ${num(h.dates.refused)} did not and got 400 naming the parameter`,
        ],
        [
          'labels with combining marks, compatibility forms, bidi and zero-width characters',
          `${num(h.text.runs)}: ${num(h.text.storedAsNfc)} stored as their NFC form (${num(h.text.changedByNfc)} of them changed by it), ${num(h.text.refused)} refused naming the field`,
        ],
        ['**5xx answers other than 503**', `**${num(sumWhere(h.byStatus, (key) => statusOf(key) >= 500 && statusOf(key) !== 503))}**`],
      ]),
      '',
      '| answer | count |',
      '|---|---|',
      ...answers,
    ].join('\n');
  },

  security(r) {
    const s = r.security;
    const a = s.actorSpoofing;
    return rows([
      ['finished', when(s.finishedAt)],
      ['bad tokens', `${num(s.badTokens.kinds)} kinds × a read and a write = ${num(s.badTokens.requests)} requests; all 401: ${yes(s.badTokens.all401)}`],
      [
        'GET role matrix',
        `${num(s.getRoleMatrix.routes)} routes × ${num(s.getRoleMatrix.roles)} roles = ${num(s.getRoleMatrix.checked)} checks; ${num(s.getRoleMatrix.public)} public routes`,
      ],
      [
        'actor spoofing',
        `\`actor\` in the body: ${num(a.bodyActor)}; extra claims and spoofing headers recorded as \`${JSON.stringify(a.extraClaimsRecordedAs)}\`; another actor reusing a key: ${a.keyReuseByAnotherActor}; a clerk claiming more, on a reversal: ${num(a.clerkReversal)}`,
      ],
      ['helmet headers', `${num(s.helmet.headers.length)} headers on ${num(s.helmet.answersChecked)} kinds of answer`],
      [
        '401 limiter, defaults',
        `${num(s.rateLimitDefaults.failuresSent)} failures sent; the first 429 at failure ${num(s.rateLimitDefaults.firstLimitedAt)}, \`Retry-After: ${num(s.rateLimitDefaults.retryAfterSeconds)}\``,
      ],
      [
        '401 limiter, configured',
        `limit ${num(s.rateLimitConfigured.limit)}, window ${num(s.rateLimitConfigured.windowSeconds)} s: ${s.rateLimitConfigured.statuses}; lifted after the window: ${yes(s.rateLimitConfigured.liftedAfterWindow)}`,
      ],
      ['log scan', `${num(s.logScan.bytes)} bytes at debug level, ${num(s.logScan.secretsLookedFor)} secrets looked for, **${num(s.logScan.found)} found**`],
    ]);
  },

  'tamper-evidence'(r) {
    const t = r['tamper-evidence'];
    return [
      `${num(t.cases.length)} tamperings, finished ${when(t.finishedAt)}:`,
      '',
      '| tampering | reported as |',
      '|---|---|',
      ...t.cases.map((c) => `| ${c.name} | \`${c.reported}\` |`),
    ].join('\n');
  },

  'postgres-crash'(r) {
    const p = r['postgres-crash'];
    const crashes = p.crashes
      .map(
        (k) =>
          `at ${num(k.at)} ms with ${num(k.acknowledgedBefore)} acknowledged; a new postmaster running and more writes acknowledged ${num(k.firstAcknowledgedAfterMs)} ms after the kill`,
      )
      .join('; ');
    return rows([
      ['finished', when(p.finishedAt)],
      ['clients', num(p.clients)],
      ['postmaster kills (SIGKILL)', `${num(p.crashes.length)} (${crashes})`],
      ['requests sent', `${num(p.requestsSent)} (writes and their retries)`],
      ['answers', tallyText(p.answersByStatus)],
      ['latency (ms)', latencyText(p.latencyMs)],
      ['disbursements acknowledged', num(p.disbursementsAcknowledged)],
      ['writes retried after a fault', num(p.retriedAfterAFault)],
      ['events in the log', num(p.eventsInLog)],
      ['**events lost / stored twice**', `**${num(p.eventsLost)} / ${num(p.duplicates)}**`],
      ['duration', `${num(p.seconds)} s`],
    ]);
  },

  files(r) {
    const c = r.campaign;
    return [
      '| test file | tests | passed | seconds |',
      '|---|---|---|---|',
      ...c.files.map((f) => `| \`${f.file}\` | ${num(f.tests)} | ${num(f.passed)} | ${num(f.seconds)} |`),
    ].join('\n');
  },
};

/** The document with every generated block rewritten from `recorded`; each block must appear exactly once. */
function render(document, recorded) {
  const seen = new Map();
  const text = document.replace(BLOCK, (_whole, name) => {
    const block = BLOCKS[name];
    if (!block) throw new Error(`docs/RELIABILITY.md: unknown generated block "${name}"`);
    seen.set(name, (seen.get(name) ?? 0) + 1);
    const figures = new Proxy(recorded, {
      get(target, suite) {
        if (typeof suite === 'string' && !(suite in target))
          throw new Error(`block "${name}" needs tests/reliability/recorded/${suite}.json, which is not recorded`);
        return target[suite];
      },
    });
    return `<!-- generated:${name} -->\n${block(figures)}\n<!-- /generated -->`;
  });
  const wrong = Object.keys(BLOCKS).filter((name) => seen.get(name) !== 1);
  if (wrong.length > 0) throw new Error(`docs/RELIABILITY.md: each generated block must appear once; not so for ${wrong.join(', ')}`);
  return text;
}

/** Rewrites docs/RELIABILITY.md under `root` in place; returns its path. */
function writeReport(root) {
  const file = join(root, DOCUMENT);
  writeFileSync(file, render(readFileSync(file, 'utf8'), readRecorded(root)));
  return file;
}

module.exports = { BLOCK_NAMES: Object.keys(BLOCKS), DOCUMENT, readRecorded, render, writeReport };

if (require.main === module) {
  const root = join(__dirname, '..', '..', '..');
  process.stdout.write(`reliability: regenerated ${writeReport(root)} from ${join(root, RECORDED)}\n`);
}
