import { createHash, randomUUID } from 'node:crypto';
import { canonicalJson, chainHash, GENESIS_HASH, type RecordedEvent } from '@fundtrail/event-store';
import { decideProject, evolveProject, initialProjectState, type ProjectState, toNewEvents } from '@fundtrail/funding';
import { contributionsOf, emptyTerms, foldEvents, termsFromJson, termsToJson } from '@fundtrail/projections';
import { clerkContext, disbursementCommand, disbursementFields, officerContext, setupCommands } from '../workload';

function timeIt(iterations: number, work: (i: number) => unknown): number {
  for (let i = 0; i < Math.min(2000, iterations); i += 1) work(i); // warm-up
  const started = process.hrtime.bigint();
  for (let i = 0; i < iterations; i += 1) work(i);
  return Number(process.hrtime.bigint() - started) / 1000 / iterations;
}

/**
 * Per-event CPU costs of the pieces every scenario is made of (µs, this machine, one core):
 * what the hash chain, the canonical JSON, pg's JSON parsing, the decider and the projection
 * fold each cost, to say which of them dominates a scenario.
 */
export function microCosts(): Record<string, number> {
  let state: ProjectState = initialProjectState;
  for (const command of setupCommands('micro')) for (const e of decideProject(command, state)) state = evolveProject(state, e);
  for (let n = 0; n < 1000; n += 1) {
    for (const e of decideProject(disbursementCommand('micro', disbursementFields(`w-${n}`, n)), state)) state = evolveProject(state, e);
  }
  const [decided] = decideProject(disbursementCommand('micro', disbursementFields('x-1', 1)), state);
  const [event] = toNewEvents('project-micro', [decided], clerkContext());
  const sealed = { ...event, streamId: 'project-micro', streamRevision: 1003n, recordedAt: new Date() };
  const dataText = JSON.stringify(event.data);
  const metadataText = JSON.stringify(event.metadata);
  const canonical = canonicalJson(sealed);
  const recorded: RecordedEvent = {
    ...sealed,
    globalPosition: 1n,
    hash: chainHash(GENESIS_HASH, sealed),
    prevHash: GENESIS_HASH,
  };
  const batch = Array.from({ length: 2000 }, () => recorded);
  const terms = foldEvents(batch);
  const termsJson = JSON.stringify(termsToJson(terms));
  return {
    eventBytes: dataText.length + metadataText.length,
    chainHashMicros: timeIt(20_000, () => chainHash(GENESIS_HASH, sealed)),
    canonicalJsonMicros: timeIt(20_000, () => canonicalJson(sealed)),
    sha256Micros: timeIt(20_000, () => createHash('sha256').update(GENESIS_HASH).update(canonical).digest('hex')),
    jsonStringifyMicros: timeIt(20_000, () => JSON.stringify(event.data) + JSON.stringify(event.metadata)),
    jsonParseMicros: timeIt(20_000, () => [JSON.parse(dataText) as unknown, JSON.parse(metadataText) as unknown]),
    decideEvolveMicros: timeIt(20_000, (i) => {
      const [e] = decideProject(disbursementCommand('micro', disbursementFields(`m-${i}`, i)), state);
      return evolveProject(state, e);
    }),
    toNewEventsMicros: timeIt(20_000, () => toNewEvents('project-micro', [decided], officerContext())),
    randomUuidMicros: timeIt(20_000, () => randomUUID()),
    contributionsMicros: timeIt(20_000, () => contributionsOf(recorded)),
    foldPerEventMicros: timeIt(50, () => foldEvents(batch)) / batch.length,
    termsJsonRoundTripMicros: timeIt(5_000, () => termsToJson(termsFromJson(JSON.parse(termsJson)))),
    foldFromEmptyMicros: timeIt(5_000, () => foldEvents([recorded], emptyTerms())),
  };
}
