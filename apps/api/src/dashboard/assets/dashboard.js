// FundTrail dashboard: a page of the API that reads the API with the analyst's token. Plain script, no build step.
'use strict';

(function () {
  var TOKEN_KEY = 'fundtrail.token';
  var PALETTE = ['#1f6feb', '#2e7d32', '#f59e0b', '#c62828', '#7c3aed', '#0891b2', '#db2777', '#65a30d', '#ea580c', '#475569'];
  var HEADLINE = ['planned_total', 'received_total', 'disbursed_total', 'available_balance', 'arrival_rate', 'execution_rate'];
  /** Money flows a project's line chart shows, when the project has them. */
  var SERIES_KEYS = ['allocated_total', 'received_total', 'approved_total', 'disbursed_total'];
  var charts = {};

  var $ = function (id) { return document.getElementById(id); };

  function el(tag, text, className) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (className) node.className = className;
    return node;
  }

  // ---- the token: from the URL fragment (never sent to a server) or the sign-in box; kept for this tab only

  function takeTokenFromFragment() {
    var match = /^#token=([A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*)$/.exec(window.location.hash);
    if (!match) return;
    sessionStorage.setItem(TOKEN_KEY, match[1]);
    // Off the address bar and out of the history, so it is not bookmarked or shared by accident.
    history.replaceState(null, '', window.location.pathname + window.location.search);
  }

  function token() { return sessionStorage.getItem(TOKEN_KEY); }

  function signOut(message) {
    sessionStorage.removeItem(TOKEN_KEY);
    Object.keys(charts).forEach(function (name) { charts[name].destroy(); delete charts[name]; });
    showSignIn(message);
  }

  function ApiError(status, problem) {
    this.status = status;
    this.problem = problem;
    this.message = (problem && (problem.detail || problem.title)) || ('HTTP ' + status);
  }

  function request(path, options) {
    var headers = Object.assign({ Authorization: 'Bearer ' + token() }, (options && options.headers) || {});
    return fetch(path, Object.assign({}, options, { headers: headers, credentials: 'omit', cache: 'no-store' }));
  }

  function api(path) {
    return request(path).then(function (response) {
      if (response.status === 401) {
        signOut('令牌无效或已过期 The token is not valid or has expired.');
        throw new ApiError(401);
      }
      if (!response.ok) return response.json().catch(function () { return null; }).then(function (p) { throw new ApiError(response.status, p); });
      return response.json();
    });
  }

  /** Feature detection: the answer when the endpoint exists and answers 200, null otherwise. */
  function probe(path) {
    return request(path).then(function (response) { return response.ok ? response.json() : null; }, function () { return null; });
  }

  /** Every page of a paged answer's `terms`. */
  function allTerms(path) {
    return api(path).then(function (first) {
      if (!first.next) return first;
      return allTerms(first.next).then(function (rest) { first.terms = first.terms.concat(rest.terms); return first; });
    });
  }

  // ---- numbers: shown as the API's decimal strings; converted to float only for chart geometry

  function grouped(decimal) {
    if (decimal === null || decimal === undefined) return '—';
    var parts = String(decimal).split('.');
    return parts[0].replace(/\B(?=(\d{3})+(?!\d))/g, ',') + (parts.length > 1 ? '.' + parts[1] : '');
  }

  function shown(figure) {
    if (!figure || figure.value === null) return '—';
    return figure.unit === 'percent' ? figure.value + '%' : figure.unit === 'yuan' ? '¥' + grouped(figure.value) : grouped(figure.value);
  }

  /** Yuan string → 万元 as a float: chart geometry only. */
  function wan(yuan) { return yuan === null || yuan === undefined ? null : Number(yuan) / 10000; }

  /** Yuan string → fen as an exact BigInt. */
  function fen(yuan) {
    var match = /^(-?)(\d+)(?:\.(\d{1,2}))?$/.exec(yuan);
    if (!match) throw new Error('not a yuan amount: ' + yuan);
    var value = BigInt(match[2] + (match[3] || '').padEnd(2, '0'));
    return match[1] ? -value : value;
  }
  function yuanOf(fenValue) {
    var negative = fenValue < 0n;
    var abs = negative ? -fenValue : fenValue;
    return (negative ? '-' : '') + (abs / 100n).toString() + '.' + (abs % 100n).toString().padStart(2, '0');
  }

  function byKey(figures) {
    var map = {};
    figures.forEach(function (figure) { map[figure.key] = figure; });
    return map;
  }

  function draw(name, canvas, config) {
    if (charts[name]) charts[name].destroy();
    config.options = Object.assign({ animation: false, responsive: true, maintainAspectRatio: false }, config.options || {});
    charts[name] = new window.Chart(canvas, config);
    return charts[name];
  }

  // ---- sign-in

  function showSignIn(message) {
    $('board').hidden = true;
    $('session').hidden = true;
    $('sign-in').hidden = false;
    $('sign-in-error').textContent = message || '';
    document.body.dataset.state = 'signed-out';
    fetch('/api/dashboard/sign-in', { cache: 'no-store' })
      .then(function (response) { return response.ok ? response.json() : { localToken: false }; })
      .then(function (options) { $('local-sign-in').hidden = !options.localToken; }, function () { $('local-sign-in').hidden = true; });
  }

  function useToken(value) {
    sessionStorage.setItem(TOKEN_KEY, value.trim());
    loadBoard();
  }

  function bindSignIn() {
    $('token-form').addEventListener('submit', function (event) {
      event.preventDefault();
      var value = $('token-input').value.trim();
      $('token-input').value = '';
      if (!/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*$/.test(value)) {
        $('sign-in-error').textContent = '这不是一个 JWT。That is not a JWT.';
        return;
      }
      useToken(value);
    });
    $('local-token').addEventListener('click', function () {
      fetch('/api/dashboard/local-token', { method: 'POST', headers: { 'X-FundTrail-Dashboard': 'sign-in' }, cache: 'no-store' })
        .then(function (response) { return response.json().then(function (body) { if (!response.ok) throw new ApiError(response.status, body); return body; }); })
        .then(function (body) { useToken(body.token); }, function (error) { $('sign-in-error').textContent = error.message; });
    });
    $('sign-out').addEventListener('click', function () { signOut(); });
    $('export-xlsx').addEventListener('click', function () { download('/api/exports/figures.xlsx'); });
    $('export-csv').addEventListener('click', function () { download('/api/exports/figures.csv'); });
  }

  /** Exports need the token in a header, so they are fetched and handed to the browser as a file. */
  function download(path) {
    request(path).then(function (response) {
      if (!response.ok) throw new ApiError(response.status);
      var disposition = response.headers.get('Content-Disposition') || '';
      var name = (/filename="([^"]+)"/.exec(disposition) || [])[1] || path.split('/').pop();
      return response.blob().then(function (blob) {
        var link = el('a');
        link.href = URL.createObjectURL(blob);
        link.download = name;
        document.body.appendChild(link);
        link.click();
        link.remove();
        setTimeout(function () { URL.revokeObjectURL(link.href); }, 10000);
      });
    }).catch(function (error) { window.alert('导出失败 Export failed: ' + error.message); });
  }

  // ---- the board

  function loadBoard() {
    $('sign-in').hidden = true;
    document.body.dataset.state = 'loading';
    return Promise.all([api('/api/portfolio/figures'), api('/api/projects?pageSize=200')])
      .then(function (answers) {
        var portfolio = answers[0];
        var list = answers[1];
        $('session').hidden = false;
        $('board').hidden = false;
        $('as-of').textContent = '截至日志位置 as of position ' + portfolio.asOfPosition;
        renderHeadline(portfolio);
        renderBreakdowns(portfolio);
        renderProjects(list);
        document.body.dataset.state = 'ready';
        return loadWarnings();
      })
      .catch(function (error) {
        if (error instanceof ApiError && error.status === 401) return;
        document.body.dataset.state = 'error';
        showSignIn('无法读取数据 Could not read the data: ' + error.message);
      });
  }

  function renderHeadline(portfolio) {
    var figures = byKey(portfolio.figures);
    var box = $('headline');
    box.replaceChildren();
    HEADLINE.forEach(function (key) {
      var figure = figures[key];
      if (!figure) return;
      var card = el('div', null, 'card');
      card.dataset.key = key;
      card.append(el('div', figure.label.zh + ' · ' + figure.label.en, 'label'), el('div', shown(figure), 'value'));
      if (figure.unit === 'percent' && figure.numerator !== undefined) card.append(el('div', '¥' + grouped(figure.numerator) + ' / ¥' + grouped(figure.denominator), 'sub'));
      if (figure.note) card.append(el('div', figure.note, 'sub'));
      box.append(card);
    });
  }

  function breakdown(portfolio, family) {
    return portfolio.figures
      .filter(function (figure) { return figure.key.indexOf(family + ':') === 0 && figure.value !== null && figure.value !== '0.00'; })
      // "到位资金（专项债券）" → "专项债券": the chart's title already says what is counted.
      .map(function (figure) { var inner = /（(.+)）$/.exec(figure.label.zh); return { label: inner ? inner[1] : figure.label.zh, value: figure.value }; });
  }

  function renderBreakdowns(portfolio) {
    var sources = breakdown(portfolio, 'received_by_source');
    draw('by-source', $('chart-by-source'), {
      type: 'doughnut',
      data: { labels: sources.map(function (s) { return s.label; }), datasets: [{ data: sources.map(function (s) { return wan(s.value); }), backgroundColor: PALETTE }] },
      options: { plugins: { legend: { position: 'right' }, tooltip: { callbacks: { label: function (c) { return ' ¥' + grouped(sources[c.dataIndex].value); } } } } },
    });
    var categories = breakdown(portfolio, 'disbursed_by_category');
    draw('by-category', $('chart-by-category'), {
      type: 'bar',
      data: { labels: categories.map(function (c) { return c.label; }), datasets: [{ label: '万元', data: categories.map(function (c) { return wan(c.value); }), backgroundColor: PALETTE[1] }] },
      options: { plugins: { legend: { display: false }, tooltip: { callbacks: { label: function (c) { return ' ¥' + grouped(categories[c.dataIndex].value); } } } } },
    });
  }

  function renderProjects(list) {
    var body = $('projects').querySelector('tbody');
    body.replaceChildren();
    $('project-count').textContent = '(' + list.total + ')';
    list.items.forEach(function (project) {
      var figures = byKey(project.figures);
      var row = el('tr');
      row.dataset.projectId = project.projectId;
      row.append(el('td', project.name), el('td', project.department), el('td', shown(figures.received_total), 'num'), el('td', shown(figures.disbursed_total), 'num'), el('td', shown(figures.execution_rate), 'num'));
      row.addEventListener('click', function () { selectProject(project.projectId, row); });
      body.append(row);
    });
    var short = function (name) { return name.length > 14 ? name.slice(0, 13) + '…' : name; };
    draw('by-project', $('chart-by-project'), {
      type: 'bar',
      data: {
        labels: list.items.map(function (p) { return short(p.name); }),
        datasets: [
          { label: '到位资金 Received', data: list.items.map(function (p) { return wan((byKey(p.figures).received_total || {}).value); }), backgroundColor: PALETTE[0] },
          { label: '实际支出 Disbursed', data: list.items.map(function (p) { return wan((byKey(p.figures).disbursed_total || {}).value); }), backgroundColor: PALETTE[2] },
        ],
      },
      options: { indexAxis: 'y', plugins: { tooltip: { callbacks: { title: function (items) { return list.items[items[0].dataIndex].name; } } } } },
    });
  }

  function loadWarnings() {
    return probe('/api/monitoring/warnings?status=open').then(function (warnings) {
      var items = Array.isArray(warnings) ? warnings : warnings && Array.isArray(warnings.items) ? warnings.items : null;
      $('warnings').hidden = items === null;
      if (items === null) return;
      var list = $('warning-list');
      list.replaceChildren();
      if (items.length === 0) list.append(el('li', '无未处理预警 No open warnings'));
      items.forEach(function (w) {
        list.append(el('li', [w.projectId, w.figure, w.value + ' / ' + w.threshold, w.ruleId, w.raisedAsOf].join(' · ')));
      });
    });
  }

  // ---- one project: its figures, its series, a trace one click away

  function selectProject(projectId, row) {
    Array.prototype.forEach.call(document.querySelectorAll('#projects tr.selected'), function (r) { r.classList.remove('selected'); });
    if (row) row.classList.add('selected');
    var section = $('project');
    section.dataset.state = 'loading';
    $('trace').hidden = true;
    return api('/api/projects/' + encodeURIComponent(projectId) + '?pageSize=1000').then(function (view) {
      section.hidden = false;
      section.dataset.projectId = projectId;
      $('project-name').textContent = view.project.name;
      var body = $('figures').querySelector('tbody');
      body.replaceChildren();
      view.figures.forEach(function (figure) {
        var tr = el('tr');
        tr.dataset.key = figure.key;
        var button = el('button', '追溯 Trace', 'trace-link');
        button.type = 'button';
        button.addEventListener('click', function () { showTrace(projectId, figure.key); });
        var action = el('td');
        action.append(button);
        tr.append(el('td', figure.label.zh + ' · ' + figure.label.en), el('td', figure.value === null ? '— ' + (figure.reason || '') : shown(figure), 'num'), el('td', 'v' + figure.formulaVersion), action);
        body.append(tr);
      });
      return renderSeries(projectId, byKey(view.figures));
    }).then(function () {
      section.dataset.state = 'ready';
      section.scrollIntoView({ block: 'start' });
    });
  }

  /** The series endpoint when the server has it; otherwise each flow's running total from its trace, by effective date. */
  function renderSeries(projectId, figures) {
    var keys = SERIES_KEYS.filter(function (key) { return figures[key]; });
    var base = '/api/projects/' + encodeURIComponent(projectId);
    return probe(base + '/series?keys=' + keys.join(',') + '&interval=month').then(function (series) {
      if (series && Array.isArray(series.points)) {
        $('series-caption').textContent = '按月累计（万元）· Monthly, as of each month end (10,000 yuan)';
        return plotSeries(series.points.map(function (p) { return p.period; }), keys.map(function (key) {
          return { key: key, label: figures[key].label.zh, values: series.points.map(function (p) { return wan(figureValue(p.figures, key)); }) };
        }));
      }
      $('series-caption').textContent = '按生效日期累计（万元，由各指标的追溯事件计算）· Running totals by effective date, from each figure\u2019s trace (10,000 yuan)';
      return Promise.all(keys.map(function (key) { return allTerms(base + '/figures/' + key + '/trace?pageSize=1000'); })).then(function (traces) {
        var dates = {};
        traces.forEach(function (trace) { trace.terms.forEach(function (t) { dates[t.effectiveDate] = true; }); });
        var axis = Object.keys(dates).sort();
        return plotSeries(axis, traces.map(function (trace, index) {
          var sorted = trace.terms.slice().sort(function (a, b) { return a.effectiveDate < b.effectiveDate ? -1 : a.effectiveDate > b.effectiveDate ? 1 : 0; });
          var values = axis.map(function (date) {
            var total = 0n;
            sorted.forEach(function (t) { if (t.effectiveDate <= date && t.term === 'numerator' && t.mode === 'add') total += fen(t.signedAmount); });
            return wan(yuanOf(total));
          });
          return { key: keys[index], label: figures[keys[index]].label.zh, values: values };
        }));
      });
    });
  }

  function figureValue(figures, key) {
    if (Array.isArray(figures)) { var found = figures.filter(function (f) { return f.key === key; })[0]; return found ? found.value : null; }
    var entry = figures ? figures[key] : null;
    return entry && typeof entry === 'object' ? entry.value : entry;
  }

  function plotSeries(labels, lines) {
    draw('series', $('chart-series'), {
      type: 'line',
      data: {
        labels: labels,
        datasets: lines.map(function (line, index) {
          return { label: line.label, data: line.values, borderColor: PALETTE[index], backgroundColor: PALETTE[index], stepped: true, pointRadius: 3 };
        }),
      },
      options: { scales: { y: { beginAtZero: true, title: { display: true, text: '万元' } } } },
    });
  }

  function showTrace(projectId, key) {
    var section = $('trace');
    section.dataset.state = 'loading';
    return allTerms('/api/projects/' + encodeURIComponent(projectId) + '/figures/' + encodeURIComponent(key) + '/trace?pageSize=1000').then(function (trace) {
      section.hidden = false;
      section.dataset.key = key;
      $('trace-title').textContent = trace.label.zh + ' · ' + trace.label.en + ' (' + key + ')';
      $('trace-formula').textContent = '公式 Formula v' + trace.formulaVersion + ': ' + trace.formula;
      var result = $('trace-result');
      result.replaceChildren(
        el('span', '重算值 Recomputed: ' + shown({ value: trace.value, unit: trace.unit }) + (trace.numerator !== undefined && trace.denominator !== undefined ? ' = ' + trace.numerator + ' / ' + trace.denominator : '') + ' — '),
        el('span', trace.matches ? '与读模型一致 matches the read model' : '与读模型不一致 differs from the read model', trace.matches ? 'matches' : 'differs'),
      );
      var body = $('trace-terms').querySelector('tbody');
      body.replaceChildren();
      trace.terms.forEach(function (t) {
        var tr = el('tr');
        tr.append(el('td', t.type), el('td', t.effectiveDate), el('td', t.recordedAt), el('td', t.term + (t.effective ? '' : ' (replaced)')), el('td', grouped(t.signedAmount), 'num'), el('td', t.actor.id + ' (' + t.actor.role + ')'), el('td', t.globalPosition));
        body.append(tr);
      });
      section.dataset.state = 'ready';
      section.scrollIntoView({ block: 'start' });
    }, function (error) {
      section.hidden = false;
      section.dataset.state = 'error';
      $('trace-title').textContent = key;
      $('trace-formula').textContent = error.status === 403 ? '此角色不能查看追溯 This role may not read traces.' : error.message;
    });
  }

  document.addEventListener('DOMContentLoaded', function () {
    bindSignIn();
    takeTokenFromFragment();
    if (token()) loadBoard();
    else showSignIn();
  });
})();
