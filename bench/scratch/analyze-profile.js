// Summarises a .cpuprofile: self time per function and per package/source area, and inclusive time of chosen frames.
const fs = require('fs');
const file = process.argv[2];
const top = Number(process.argv[3] || 40);
const p = JSON.parse(fs.readFileSync(file, 'utf8'));
const byId = new Map(p.nodes.map((n) => [n.id, n]));
const dt = new Map();
for (let i = 0; i < p.samples.length; i++) dt.set(p.samples[i], (dt.get(p.samples[i]) || 0) + (p.timeDeltas[i] || 0));
const total = [...dt.values()].reduce((a, b) => a + b, 0);
const area = (url) => {
  if (!url) return '(native/vm)';
  const m = url.match(/node_modules\/((@[^/]+\/)?[^/]+)/);
  if (m) return m[1];
  const d = url.match(/dist\/(apps|libs|bench)\/([^/]+)\/src\/(.*)$/);
  if (d) return `${d[1]}/${d[2]}/${d[3].split('/').slice(0, 1).join('/')}`;
  if (url.startsWith('node:')) return url;
  return url;
};
const self = new Map(); const areas = new Map();
for (const n of p.nodes) {
  const t = dt.get(n.id) || 0; if (!t) continue;
  const cf = n.callFrame;
  const key = `${cf.functionName || '(anon)'} ${cf.url.replace(/.*\/(node_modules|dist)\//, '$1/')}:${cf.lineNumber + 1}`;
  self.set(key, (self.get(key) || 0) + t);
  const a = area(cf.url) + (cf.url ? '' : ` ${cf.functionName}`);
  areas.set(a, (areas.get(a) || 0) + t);
}
const pr = (m, k) => [...m.entries()].sort((a, b) => b[1] - a[1]).slice(0, k).forEach(([key, t]) => console.log(`${(t / 1000).toFixed(0).padStart(7)} ms ${(100 * t / total).toFixed(1).padStart(5)}%  ${key}`));
console.log(`total ${(total / 1000).toFixed(0)} ms`);
console.log('--- self time by area'); pr(areas, 30);
console.log('--- self time by function'); pr(self, top);
// inclusive time for functions matching a pattern
const pat = process.argv[4];
if (pat) {
  const parent = new Map(); for (const n of p.nodes) for (const c of n.children || []) parent.set(c, n.id);
  const incl = new Map();
  for (const [id, t] of dt) {
    const seen = new Set();
    for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
      const cf = byId.get(cur).callFrame; const k = `${cf.functionName} ${cf.url.replace(/.*\/(node_modules|dist)\//, '$1/')}:${cf.lineNumber + 1}`;
      if (new RegExp(pat).test(k) && !seen.has(k)) { seen.add(k); incl.set(k, (incl.get(k) || 0) + t); }
    }
  }
  console.log(`--- inclusive time for /${pat}/`); pr(incl, 40);
}
