import { Inject, Injectable } from '@nestjs/common';
import { EVENT_STORE, type EventStore } from '@fundtrail/event-store';
import type { BondCommand } from '../bond/bond.commands';
import { decideBond, evolveBond, initialBondState, type BondState } from '../bond/bond.decider';
import type { BondEvent } from '../bond/bond.events';
import type { ProgrammeCommand } from '../programme/programme.commands';
import { decideProgramme, evolveProgramme, initialProgrammeState, type ProgrammeState } from '../programme/programme.decider';
import type { ProgrammeEvent } from '../programme/programme.events';
import type { ProjectCommand } from '../project/project.commands';
import { decideProject, evolveProject, initialProjectState, type ProjectState } from '../project/project.decider';
import type { ProjectEvent } from '../project/project.events';
import { AggregateRepository } from './aggregate-repository';

/** The aggregates' repositories, shared by every handler of this process. */
@Injectable()
export class FundingRepositories {
  readonly projects: AggregateRepository<ProjectCommand, ProjectEvent, ProjectState>;
  readonly bonds: AggregateRepository<BondCommand, BondEvent, BondState>;
  readonly programmes: AggregateRepository<ProgrammeCommand, ProgrammeEvent, ProgrammeState>;

  constructor(@Inject(EVENT_STORE) store: EventStore) {
    this.projects = new AggregateRepository(store, { initial: initialProjectState, evolve: evolveProject, decide: decideProject });
    this.bonds = new AggregateRepository(store, { initial: initialBondState, evolve: evolveBond, decide: decideBond });
    this.programmes = new AggregateRepository(store, { initial: initialProgrammeState, evolve: evolveProgramme, decide: decideProgramme });
  }
}
