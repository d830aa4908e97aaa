import { type ApiHarness, startApi } from '../support/api-harness';

/**
 * Programmes, regions and the portfolio at any level, over HTTP: a province, a prefecture under
 * it, two counties under that, projects at each level and one outside the tree. Every expected
 * figure is computed here from the scenario's own data with a fold written for this test.
 */

type Fen = bigint;
interface Receipt {
  id: string;
  source: string;
  amount: Fen;
  date: string;
}
interface Payment {
  id: string;
  receiptId: string;
  amount: Fen;
  date: string;
}
interface ProjectSpec {
  projectId: string;
  name: string;
  programme?: string;
  region?: string;
  department?: string;
  category: string;
  planned?: Fen;
  receipts: Receipt[];
  payments: Payment[];
}

const PROGRAMMES = [
  { programmeId: 'yn-roads', name: '云南省农村公路', level: 'provincial', region: 'yunnan' },
  { programmeId: 'km-roads', name: '昆明市农村公路', level: 'prefecture', region: 'yunnan/kunming', parentId: 'yn-roads' },
  { programmeId: 'xs-roads', name: '西山区农村公路', level: 'district', region: 'yunnan/kunming/xishan', parentId: 'km-roads' },
  { programmeId: 'an-roads', name: '安宁市农村公路', level: 'county', region: 'yunnan/kunming/anning', parentId: 'km-roads' },
];

const yuan = (text: string): Fen => {
  const [whole, fraction = ''] = text.split('.');
  return BigInt(whole) * 100n + BigInt(fraction.padEnd(2, '0'));
};

const PROJECTS: ProjectSpec[] = [
  {
    projectId: 'km-ring',
    name: '昆明环线改造',
    programme: 'km-roads',
    region: 'yunnan/kunming',
    department: '市交通局',
    category: 'roads',
    planned: yuan('1000.00'),
    receipts: [{ id: 'r1', source: 'district-budget', amount: yuan('600.00'), date: '2024-03-01' }],
    payments: [
      { id: 'd1', receiptId: 'r1', amount: yuan('300.00'), date: '2024-05-01' },
      { id: 'd2', receiptId: 'r1', amount: yuan('100.00'), date: '2024-08-01' },
    ],
  },
  {
    projectId: 'xs-drain',
    name: '西山排水',
    programme: 'xs-roads',
    region: 'yunnan/kunming/xishan',
    department: '区水务局',
    category: 'drainage',
    planned: yuan('500.00'),
    receipts: [{ id: 'r1', source: 'special-bond', amount: yuan('500.00'), date: '2024-02-01' }],
    payments: [{ id: 'd1', receiptId: 'r1', amount: yuan('450.00'), date: '2024-07-15' }],
  },
  {
    // Registered in the prefecture, then moved to the district: the move is what the filters see.
    projectId: 'xs-lane',
    name: '西山乡道',
    programme: 'xs-roads',
    region: 'yunnan/kunming/xishan',
    department: '区水务局',
    category: 'roads',
    receipts: [{ id: 'r1', source: 'carry-over', amount: yuan('200.00'), date: '2024-01-10' }],
    payments: [],
  },
  {
    projectId: 'an-bridge',
    name: '安宁桥梁',
    programme: 'an-roads',
    region: 'yunnan/kunming/anning',
    department: '市交通局',
    category: 'drainage',
    planned: yuan('800.00'),
    receipts: [{ id: 'r1', source: 'central-subsidy', amount: yuan('400.00'), date: '2024-04-01' }],
    payments: [{ id: 'd1', receiptId: 'r1', amount: yuan('100.00'), date: '2024-09-30' }],
  },
  {
    // A sibling region whose path starts with the same letters: a region prefix must not select it.
    projectId: 'east-school',
    name: '东部学校',
    region: 'yunnan/kunming-east',
    category: 'roads',
    planned: yuan('100.00'),
    receipts: [{ id: 'r1', source: 'district-budget', amount: yuan('100.00'), date: '2024-06-30' }],
    payments: [],
  },
];

// ---- the independent fold --------------------------------------------------------------------

const yuanText = (fen: Fen) => `${fen < 0n ? '-' : ''}${(fen < 0n ? -fen : fen) / 100n}.${((fen < 0n ? -fen : fen) % 100n).toString().padStart(2, '0')}`;
/** numerator / denominator × 100, half-up to 2 decimals; null without a denominator. */
const percent = (numerator: Fen, denominator: Fen): string | null => {
  if (denominator === 0n) return null;
  const hundredths = (numerator * 20000n + denominator) / (2n * denominator);
  return `${hundredths / 100n}.${(hundredths % 100n).toString().padStart(2, '0')}`;
};

interface Known {
  date?: string;
  position?: number;
}
const positions = new Map<string, number>(); // `${projectId}/${kind}/${id}` -> globalPosition
const counts = (known: Known, project: string, kind: string, id: string, date: string) =>
  (known.date === undefined || date <= known.date) && (known.position === undefined || positions.get(`${project}/${kind}/${id}`)! <= known.position);

function expectedFigures(projects: ProjectSpec[], known: Known = {}) {
  let received = 0n;
  let disbursed = 0n;
  let plannedSum = 0n;
  let arrived = 0n;
  const alive = projects.filter((p) => known.position === undefined || positions.get(`${p.projectId}/registered/-`)! <= known.position);
  for (const p of alive) {
    const receipts = p.receipts.filter((r) => counts(known, p.projectId, 'receipt', r.id, r.date));
    const payments = p.payments.filter((d) => counts(known, p.projectId, 'payment', d.id, d.date));
    received += receipts.reduce((s, r) => s + r.amount, 0n);
    disbursed += payments.reduce((s, d) => s + d.amount, 0n);
    if (p.planned !== undefined) {
      plannedSum += p.planned;
      arrived += receipts.filter((r) => r.source !== 'carry-over').reduce((s, r) => s + r.amount, 0n);
    }
  }
  return {
    projectCount: alive.length,
    received_total: yuanText(received),
    disbursed_total: yuanText(disbursed),
    available_balance: yuanText(received - disbursed),
    // A stated term: unknown (null) when no selected project states one, never 0.
    planned_total: alive.some((p) => p.planned !== undefined) ? yuanText(plannedSum) : null,
    execution_rate: percent(disbursed, received),
    arrival_rate: percent(arrived, plannedSum),
  };
}

const inRegion = (prefix: string) => (p: ProjectSpec) => p.region === prefix || (p.region ?? '').startsWith(`${prefix}/`);
const inProgrammes =
  (...ids: string[]) =>
  (p: ProjectSpec) =>
    p.programme !== undefined && ids.includes(p.programme);
const byId = (id: string) => PROJECTS.find((p) => p.projectId === id)!;

type FigureBody = { key: string; value: string | null; numerator?: string; denominator?: string };
const valuesOf = (figures: FigureBody[]) => Object.fromEntries(figures.map((f) => [f.key, f.value]));
const pick = (figures: FigureBody[]) => {
  const v = valuesOf(figures);
  return {
    received_total: v.received_total,
    disbursed_total: v.disbursed_total,
    available_balance: v.available_balance,
    planned_total: v.planned_total,
    execution_rate: v.execution_rate,
    arrival_rate: v.arrival_rate,
  };
};
const withoutCount = ({ projectCount: _count, ...rest }: ReturnType<typeof expectedFigures>) => rest;

describe('programmes, regions and the portfolio at any level', () => {
  let api: ApiHarness;
  let officer: string;
  let clerk: string;
  let analyst: string;
  let last = 0;
  /** The position after the first half of the scenario was recorded: knownAt cuts there. */
  let midway = 0;

  const post = async (path: string, token: string, body: object, key?: string) => {
    const response = await api.http.post(path).set('Authorization', token).send(body);
    if (response.status !== 201) throw new Error(`${path}: ${response.status} ${JSON.stringify(response.body)}`);
    last = response.body.globalPosition;
    if (key) positions.set(key, last);
    return response.body;
  };
  const get = async (path: string, token = analyst) => {
    const response = await api.http.get(`${path}${path.includes('?') ? '&' : '?'}minPosition=${last}`).set('Authorization', token);
    if (response.status !== 200) throw new Error(`${path}: ${response.status} ${JSON.stringify(response.body)}`);
    return response.body;
  };

  beforeAll(async () => {
    api = await startApi();
    officer = `Bearer ${api.token('budget-officer')}`;
    clerk = `Bearer ${api.token('clerk')}`;
    analyst = `Bearer ${api.token('analyst')}`;
    for (const programme of PROGRAMMES) await post('/api/programmes', officer, programme);
    await post('/api/programmes/km-roads/indicators', officer, { indicatorId: 'km-built', name: '新改建农村公路', unit: '公里', target: '120' });
    await post('/api/programmes/km-roads/indicators/km-built/actuals', officer, { actual: '90.5' });
    const register = async (p: ProjectSpec) => {
      const programme = p.projectId === 'xs-lane' ? 'km-roads' : p.programme;
      await post(
        '/api/projects',
        officer,
        {
          projectId: p.projectId,
          name: p.name,
          category: p.category,
          ...(p.department && { department: p.department }),
          ...(programme && { programmeId: programme }),
          ...(p.region && { region: p.region }),
          ...(p.planned !== undefined && { plannedTotal: yuanText(p.planned) }),
          effectiveDate: '2024-01-02',
        },
        `${p.projectId}/registered/-`,
      );
    };
    // First half: every project registered with its receipts; then the payments; the last project comes last.
    for (const p of PROJECTS.slice(0, 4)) {
      await register(p);
      for (const r of p.receipts) {
        await post(
          `/api/projects/${p.projectId}/receipts`,
          clerk,
          { receiptId: r.id, source: r.source, amount: yuanText(r.amount), effectiveDate: r.date },
          `${p.projectId}/receipt/${r.id}`,
        );
      }
    }
    await post('/api/projects/xs-lane/programme', officer, { programmeId: 'xs-roads', reason: '划归西山区实施' });
    midway = last;
    for (const p of PROJECTS.slice(0, 4)) {
      for (const d of p.payments) {
        await post(
          `/api/projects/${p.projectId}/disbursements`,
          clerk,
          { disbursementId: d.id, receiptId: d.receiptId, amount: yuanText(d.amount), category: 'construction', effectiveDate: d.date },
          `${p.projectId}/payment/${d.id}`,
        );
      }
    }
    const east = PROJECTS[4];
    await register(east);
    await post(
      `/api/projects/${east.projectId}/receipts`,
      clerk,
      { receiptId: 'r1', source: 'district-budget', amount: '100.00', effectiveDate: east.receipts[0].date },
      `${east.projectId}/receipt/r1`,
    );
  });
  afterAll(async () => api?.close());

  it('a programme answers with its children, its own projects, its indicators and the figures of its whole subtree', async () => {
    const view = await get('/api/programmes/km-roads');
    expect(view.programme).toEqual({ programmeId: 'km-roads', name: '昆明市农村公路', parentId: 'yn-roads', level: 'prefecture', region: 'yunnan/kunming' });
    expect(view.children.map((c: { programmeId: string }) => c.programmeId)).toEqual(['an-roads', 'xs-roads']);
    expect(view.projects.map((p: { projectId: string }) => p.projectId)).toEqual(['km-ring']);
    expect(view.indicators['km-built']).toMatchObject({ name: '新改建农村公路', unit: '公里', target: '120', actual: '90.5' });
    const scope = PROJECTS.filter(inProgrammes('km-roads', 'xs-roads', 'an-roads'));
    expect(view.projectCount).toBe(scope.length);
    expect(pick(view.figures)).toEqual(withoutCount(expectedFigures(scope)));
    const own = view.figures.find((f: FigureBody) => f.key === 'output_completion:km-built');
    // 90.5 / 120 = 75.416…% → 75.42
    expect(own).toMatchObject({ value: '75.42', numerator: '90.5', denominator: '120' });
    expect(view).toMatchObject({ asOfEffective: null, knownAt: null });
  });

  it('an unknown programme is 404 PROGRAMME_NOT_FOUND', async () => {
    const response = await api.http.get('/api/programmes/no-such-programme').set('Authorization', analyst);
    expect({ status: response.status, code: response.body.code }).toEqual({ status: 404, code: 'PROGRAMME_NOT_FOUND' });
  });

  it.each([
    ['programme=yn-roads (every descendant)', 'programme=yn-roads', PROJECTS.filter((p) => p.programme !== undefined)],
    ['programme=km-roads', 'programme=km-roads', PROJECTS.filter(inProgrammes('km-roads', 'xs-roads', 'an-roads'))],
    ['programme=xs-roads (a moved project counts where it is now)', 'programme=xs-roads', PROJECTS.filter(inProgrammes('xs-roads'))],
    ['region=yunnan', 'region=yunnan', PROJECTS.filter(inRegion('yunnan'))],
    ['region=yunnan/kunming (not kunming-east)', 'region=yunnan/kunming', PROJECTS.filter(inRegion('yunnan/kunming'))],
    ['region=yunnan/kunming/xishan', 'region=yunnan/kunming/xishan', PROJECTS.filter(inRegion('yunnan/kunming/xishan'))],
    ['department + category', `department=${encodeURIComponent('市交通局')}&category=drainage`, [byId('an-bridge')]],
    ['programme + region', 'programme=km-roads&region=yunnan/kunming/anning', [byId('an-bridge')]],
    ['no filter', '', PROJECTS],
  ])('portfolio figures, %s', async (_name, query, selected) => {
    const body = await get(`/api/portfolio/figures?${query}`);
    expect(body.projectCount).toBe(selected.length);
    expect(pick(body.figures)).toEqual(withoutCount(expectedFigures(selected)));
  });

  it('the region prefix and the programme scope select exactly the projects expected', () => {
    expect(PROJECTS.filter(inRegion('yunnan/kunming')).map((p) => p.projectId)).not.toContain('east-school');
    expect(PROJECTS.filter(inProgrammes('xs-roads')).map((p) => p.projectId)).toEqual(['xs-drain', 'xs-lane']);
  });

  it('breakdown by programme: the children of the programme filter, its own projects as its own group', async () => {
    const body = await get('/api/portfolio/breakdown?by=programme&programme=km-roads');
    expect(body.by).toBe('programme');
    const groups = body.groups.map((g: { group: string; label: string; projectCount: number; figures: FigureBody[] }) => ({
      group: g.group,
      label: g.label,
      projectCount: g.projectCount,
      figures: pick(g.figures),
    }));
    expect(groups).toEqual([
      { group: 'an-roads', label: '安宁市农村公路', projectCount: 1, figures: withoutCount(expectedFigures([byId('an-bridge')])) },
      { group: 'km-roads', label: '昆明市农村公路', projectCount: 1, figures: withoutCount(expectedFigures([byId('km-ring')])) },
      { group: 'xs-roads', label: '西山区农村公路', projectCount: 2, figures: withoutCount(expectedFigures(PROJECTS.filter(inProgrammes('xs-roads')))) },
    ]);
  });

  it('breakdown by programme without a filter: the roots, and projects without a programme last', async () => {
    const body = await get('/api/portfolio/breakdown?by=programme');
    expect(body.groups.map((g: { group: string | null; projectCount: number }) => [g.group, g.projectCount])).toEqual([
      ['yn-roads', 4],
      [null, 1],
    ]);
  });

  it.each([
    ['region', (p: ProjectSpec) => [p.region ?? null]],
    ['department', (p: ProjectSpec) => [p.department ?? null]],
    ['category', (p: ProjectSpec) => [p.category]],
    ['source', (p: ProjectSpec) => [...new Set(p.receipts.map((r) => r.source))]],
  ] as const)("breakdown by %s: one group per value, each with its projects' figures", async (by, groupsOf) => {
    const body = await get(`/api/portfolio/breakdown?by=${by}`);
    const expected = new Map<string | null, ProjectSpec[]>();
    for (const p of PROJECTS) for (const g of groupsOf(p)) expected.set(g, [...(expected.get(g) ?? []), p]);
    const order = [...expected.keys()].sort((a, b) => (a === null ? 1 : b === null ? -1 : a < b ? -1 : 1));
    expect(body.groups.map((g: { group: string | null; projectCount: number; figures: FigureBody[] }) => [g.group, g.projectCount, pick(g.figures)])).toEqual(
      order.map((g) => [g, expected.get(g)!.length, withoutCount(expectedFigures(expected.get(g)!))]),
    );
  });

  it.each(['received_total', 'disbursed_total', 'execution_rate', 'arrival_rate'])(
    'the portfolio trace of %s lists the projects whose terms sum to the portfolio figure, and matches the log',
    async (key) => {
      const trace = await get(`/api/portfolio/figures/${key}/trace?region=yunnan/kunming`);
      const portfolio = await get('/api/portfolio/figures?region=yunnan/kunming');
      const figure = portfolio.figures.find((f: FigureBody) => f.key === key);
      expect(trace).toMatchObject({ key, value: figure.value, formula: expect.any(String), formulaVersion: expect.any(Number), matches: true });
      const sum = (texts: (string | undefined | null)[]) => yuanText(texts.reduce((s, t) => s + yuan(t ?? '0'), 0n));
      if (figure.numerator === undefined) {
        expect(sum(trace.projects.map((p: FigureBody) => p.value))).toBe(figure.value);
      } else {
        expect(sum(trace.projects.map((p: FigureBody) => p.numerator))).toBe(figure.numerator);
        expect(sum(trace.projects.map((p: FigureBody) => p.denominator))).toBe(figure.denominator);
      }
      const ids = trace.projects.map((p: { projectId: string }) => p.projectId);
      // arrival_rate leaves out a project that states no planned total, in both its terms.
      const expected = PROJECTS.filter(inRegion('yunnan/kunming')).filter((p) => key !== 'arrival_rate' || p.planned !== undefined);
      const moved = key === 'disbursed_total' ? expected.filter((p) => p.payments.length > 0) : expected;
      expect(ids).toEqual(moved.map((p) => p.projectId).sort());
    },
  );

  it('a portfolio trace of a key with no portfolio total, or no figure at all, is 404 FIGURE_NOT_FOUND', async () => {
    for (const key of ['output_completion:km-built', 'no_such_figure', 'Execution_Rate']) {
      const response = await api.http.get(`/api/portfolio/figures/${key}/trace`).set('Authorization', analyst);
      expect({ key, status: response.status, code: response.body.code }).toEqual({ key, status: 404, code: 'FIGURE_NOT_FOUND' });
    }
  });

  describe('the project list sorted and filtered by a figure', () => {
    const ownFigures = (p: ProjectSpec) => expectedFigures([p]);
    const ids = (body: { items: { projectId: string }[] }) => body.items.map((i) => i.projectId);
    const numeric = (v: string | null) => (v === null ? null : Number(v));

    it.each(['asc', 'desc'] as const)('sort=arrival_rate&order=%s: by value, a project without a value last either way', async (order) => {
      const body = await get(`/api/projects?sort=arrival_rate&order=${order}`);
      const withValue = PROJECTS.filter((p) => ownFigures(p).arrival_rate !== null).sort(
        (a, b) =>
          (numeric(ownFigures(a).arrival_rate)! - numeric(ownFigures(b).arrival_rate)!) * (order === 'asc' ? 1 : -1) || (a.projectId < b.projectId ? -1 : 1),
      );
      const without = PROJECTS.filter((p) => ownFigures(p).arrival_rate === null).map((p) => p.projectId);
      expect(without).toEqual(['xs-lane']);
      expect(ids(body)).toEqual([...withValue.map((p) => p.projectId), ...without]);
    });

    it('filter=execution_rate<60 with a region: only projects with a value below 60', async () => {
      const body = await get('/api/projects?filter=execution_rate<60&region=yunnan/kunming');
      const expected = PROJECTS.filter(inRegion('yunnan/kunming')).filter((p) => {
        const rate = ownFigures(p).execution_rate;
        return rate !== null && Number(rate) < 60;
      });
      expect(ids(body)).toEqual(expected.map((p) => p.projectId).sort());
      expect(body.total).toBe(expected.length);
    });

    it('a project without a value never passes a filter, whatever the operator', async () => {
      for (const filter of ['arrival_rate>=0', 'arrival_rate<=100000', 'arrival_rate=0']) {
        const body = await get(`/api/projects?filter=${encodeURIComponent(filter)}`);
        expect(ids(body)).not.toContain('xs-lane');
      }
    });

    it('filters combine (repeated filter, a portfolio filter), and the filter figure is shown with the headline ones', async () => {
      const body = await get(
        `/api/projects?filter=${encodeURIComponent('received_total>=400')}&filter=${encodeURIComponent('disbursed_total<=400')}&programme=km-roads&sort=received_total&order=desc`,
      );
      expect(ids(body)).toEqual(['km-ring', 'an-bridge']);
      expect(body.items[0]).toMatchObject({ programmeId: 'km-roads', region: 'yunnan/kunming' });
      const byKey = valuesOf(body.items[1].figures);
      expect(byKey).toMatchObject({ received_total: '400.00', disbursed_total: '100.00' });
    });

    it('pages after sorting: page 2 continues page 1', async () => {
      const first = await get('/api/projects?sort=received_total&order=desc&pageSize=2');
      const second = await get('/api/projects?sort=received_total&order=desc&pageSize=2&page=2');
      expect([...ids(first), ...ids(second)]).toEqual(['km-ring', 'xs-drain', 'an-bridge', 'xs-lane']);
      expect(first.total).toBe(PROJECTS.length);
    });
  });

  describe('in time: as of an effective day, as known at a position', () => {
    it.each(['2024-01-31', '2024-05-31', '2024-06-30', '2024-08-31'])('asOfEffective=%s equals the fold of the events effective by then', async (day) => {
      const body = await get(`/api/portfolio/figures?programme=yn-roads&asOfEffective=${day}`);
      const selected = PROJECTS.filter((p) => p.programme !== undefined);
      expect(pick(body.figures)).toEqual(withoutCount(expectedFigures(selected, { date: day })));
      expect(body).toMatchObject({ asOfEffective: day, knownAt: null });
    });

    it('knownAt=<position> equals the fold of the events recorded by then: no payment yet, no east project', async () => {
      const body = await get(`/api/portfolio/figures?knownAt=${midway}`);
      const expected = expectedFigures(PROJECTS, { position: midway });
      expect(expected.disbursed_total).toBe('0.00');
      expect(body.projectCount).toBe(expected.projectCount);
      expect(pick(body.figures)).toEqual(withoutCount(expected));
      expect(body).toMatchObject({ asOfEffective: null, knownAt: String(midway), asOfPosition: String(midway) });
    });

    it('both at once, on the breakdown and the trace too', async () => {
      const day = '2024-07-31';
      const query = `asOfEffective=${day}&knownAt=${last}&region=yunnan/kunming`;
      const selected = PROJECTS.filter(inRegion('yunnan/kunming'));
      const figures = await get(`/api/portfolio/figures?${query}`);
      expect(pick(figures.figures)).toEqual(withoutCount(expectedFigures(selected, { date: day, position: last })));
      const trace = await get(`/api/portfolio/figures/disbursed_total/trace?${query}`);
      expect(trace).toMatchObject({
        value: expectedFigures(selected, { date: day }).disbursed_total,
        matches: true,
        asOfEffective: day,
        knownAt: String(last),
      });
      const breakdown = await get(`/api/portfolio/breakdown?by=region&${query}`);
      for (const group of breakdown.groups) {
        expect(pick(group.figures)).toEqual(
          withoutCount(
            expectedFigures(
              selected.filter((p) => p.region === group.group),
              { date: day },
            ),
          ),
        );
      }
    });

    it('knownAt as an instant before anything was recorded: no project', async () => {
      const body = await get(`/api/portfolio/figures?knownAt=${encodeURIComponent('2000-01-01T00:00:00+08:00')}`);
      expect(body.projectCount).toBe(0);
      expect(valuesOf(body.figures).received_total).toBe('0.00');
    });

    it('the programme view takes the time too: its own indicator as of a position before its actual', async () => {
      const firstProgrammeEvents = positions.size === 0 ? 0 : Math.min(...positions.values());
      const body = await get(`/api/programmes/km-roads?knownAt=${firstProgrammeEvents - 1}`);
      const own = body.figures.find((f: FigureBody) => f.key === 'output_completion:km-built');
      expect(own).toMatchObject({ value: '75.42' }); // the actual was reported before any project was registered
      expect(body.projectCount).toBe(0);
    });
  });

  it("changing a project's programme: unknown programme 422, same programme 409, unknown project 404", async () => {
    const unknown = await api.http
      .post('/api/projects/xs-lane/programme')
      .set('Authorization', officer)
      .send({ programmeId: 'no-such-programme', reason: '调整' });
    expect({ status: unknown.status, code: unknown.body.code }).toEqual({ status: 422, code: 'UNKNOWN_PROGRAMME' });
    const same = await api.http.post('/api/projects/xs-lane/programme').set('Authorization', officer).send({ programmeId: 'xs-roads', reason: '调整' });
    expect({ status: same.status, code: same.body.code }).toEqual({ status: 409, code: 'DUPLICATE_ID' });
    const project = await api.http
      .post('/api/projects/no-such-project/programme')
      .set('Authorization', officer)
      .send({ programmeId: 'xs-roads', reason: '调整' });
    expect({ status: project.status, code: project.body.code }).toEqual({ status: 404, code: 'PROJECT_NOT_FOUND' });
  });

  it('registering under a programme that does not exist is 422 UNKNOWN_PROGRAMME, for a project and for a programme', async () => {
    const before = await api.eventCount();
    const project = await api.http
      .post('/api/projects')
      .set('Authorization', officer)
      .send({ projectId: 'orphan', name: '孤儿项目', category: 'roads', programmeId: 'no-such-programme' });
    expect({ status: project.status, code: project.body.code, field: project.body.errors?.[0]?.field }).toEqual({
      status: 422,
      code: 'UNKNOWN_PROGRAMME',
      field: 'programmeId',
    });
    const programme = await api.http
      .post('/api/programmes')
      .set('Authorization', officer)
      .send({ programmeId: 'orphan', name: '孤儿专项', parentId: 'no-such-programme' });
    expect({ status: programme.status, code: programme.body.code, field: programme.body.errors?.[0]?.field }).toEqual({
      status: 422,
      code: 'UNKNOWN_PROGRAMME',
      field: 'parentId',
    });
    expect(await api.eventCount()).toBe(before);
  });

  it('OpenAPI documents every new endpoint with its parameters and refusals', async () => {
    const document = (await api.http.get('/docs-json').expect(200)).body as {
      paths: Record<string, Record<string, { parameters?: { name: string; in: string }[]; responses: Record<string, unknown>; requestBody?: unknown }>>;
    };
    const query = (path: string, method = 'get') => (document.paths[path][method].parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name);
    const filters = ['programme', 'region', 'department', 'category', 'fiscalYear', 'asOfEffective', 'knownAt', 'minPosition'];
    expect(query('/api/portfolio/figures')).toEqual(expect.arrayContaining(filters));
    expect(query('/api/portfolio/breakdown')).toEqual(expect.arrayContaining([...filters, 'by']));
    expect(query('/api/portfolio/figures/{key}/trace')).toEqual(expect.arrayContaining(filters));
    expect(query('/api/projects')).toEqual(expect.arrayContaining([...filters, 'search', 'page', 'pageSize', 'sort', 'order', 'filter']));
    expect(query('/api/programmes/{programmeId}')).toEqual(expect.arrayContaining(['asOfEffective', 'knownAt', 'minPosition']));
    expect(Object.keys(document.paths['/api/portfolio/figures/{key}/trace'].get.responses)).toEqual(
      expect.arrayContaining(['200', '400', '401', '403', '404']),
    );
    expect(Object.keys(document.paths['/api/programmes/{programmeId}'].get.responses)).toEqual(expect.arrayContaining(['200', '404']));
    for (const path of [
      '/api/programmes',
      '/api/programmes/{programmeId}/indicators',
      '/api/programmes/{programmeId}/indicators/{indicatorId}/actuals',
      '/api/projects/{projectId}/programme',
    ]) {
      expect({ path, responses: Object.keys(document.paths[path].post.responses) }).toEqual({
        path,
        responses: expect.arrayContaining(['201', '400', '401', '403', '422']),
      });
    }
    expect(JSON.stringify(document.paths['/api/programmes'].post.responses['422'])).toMatch(/UNKNOWN_PROGRAMME/);
  });

  it('audit/verify replays the programme read models too, and finds them equal', async () => {
    const report = await get('/api/audit/verify', `Bearer ${api.token('auditor')}`);
    expect(report.readModels).toMatchObject({ ok: true, programmes: PROGRAMMES.length, programmeDifferences: [] });
    expect(report.ok).toBe(true);
  });
});
