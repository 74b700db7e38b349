#!/usr/bin/env node
/*
 * attribution_oracle.js - an independent reference implementation (oracle) of
 * mops's attribution: the rule-based models of mops.attribute and the
 * data-driven Markov attribution of mops.markov_fit / mops.markov_attribution.
 *
 * Written from the definitions (DESIGN.md section 3.4 and the contract in
 * test/differential/README.md), not from the C code, and with a different
 * numerical method: the absorbing Markov chain is solved directly, by Gaussian
 * elimination with partial pivoting on the expected-visits system
 * (I - Q^T) v = b (b = the start state's transition probabilities), see
 * solveVisits(); the C code iterates (Gauss-Seidel).
 *
 *   const oracle = require('./attribution_oracle.js');
 *   oracle.markov(rows, order)      rows: [{path, conversions, value, nulls}]
 *   oracle.attribute(path, model, value, {conversionAt, halfLife})
 *
 * This file is a library.  tools/test.sh runs every test/differential/*.js
 * with node; run directly, this file only checks itself against the
 * published examples (a second or so, no database) and exits 0 when they
 * hold, so running it as a "test" is harmless.
 */
'use strict';

/* ------------------------------------------------------------------------
 * Paths
 * ------------------------------------------------------------------------
 */

/*
 * The ASCII part of mops.normalize_label: lower case, trim, runs of white
 * space, '-' and '_' become one '_'.  (ICU case folding of non-ASCII labels
 * is not reproduced: the tests use ASCII labels.)
 */
function normalizeLabel(s) {
	return s.toLowerCase().trim().replace(/[\s_-]+/g, '_');
}

/* 'YYYY-MM-DD HH:MM:SS[.ffffff]+HH[:MM]' -> microseconds since the epoch (Number) */
function parseTimestamp(text) {
	const m = /^\s*(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?\s*([+-])(\d{2})(?::?(\d{2}))?\s*$/.exec(text);
	if (!m)
		throw new Error(`oracle: cannot parse timestamp "${text}" (ISO with an explicit UTC offset required)`);
	const ms = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]);
	const frac = m[7] ? Number(m[7].padEnd(6, '0')) : 0;
	const off = (m[8] === '-' ? -1 : 1) * (Number(m[9]) * 3600 + Number(m[10] || 0) * 60);
	return (ms / 1000 - off) * 1e6 + frac;
}

/*
 * A path: text 'a > b@2026-01-01 10:00:00+00 > c', or an array of channel
 * names, or an array of {channel, t} (t in microseconds or null).  Returns
 * [{channel, t}].  The empty string is the empty path.
 */
function parsePath(p) {
	if (Array.isArray(p))
		return p.map((x) => (typeof x === 'string' ? { channel: normalizeLabel(x), t: null } :
			{ channel: normalizeLabel(x.channel), t: x.t === undefined ? null : x.t }));
	if (p.trim() === '')
		return [];
	return p.split('>').map((part) => {
		const at = part.indexOf('@');
		if (at < 0)
			return { channel: normalizeLabel(part), t: null };
		return { channel: normalizeLabel(part.slice(0, at)), t: parseTimestamp(part.slice(at + 1)) };
	});
}

/* ------------------------------------------------------------------------
 * Exact decimals (BigInt): a decimal is {n: BigInt, s: scale}, value n / 10^s
 * ------------------------------------------------------------------------
 */
function parseDecimal(text) {
	const m = /^\s*([+-]?)(\d*)(?:\.(\d*))?\s*$/.exec(String(text));
	if (!m || (m[2] === '' && (m[3] === undefined || m[3] === '')))
		throw new Error(`oracle: not a decimal: "${text}"`);
	const frac = m[3] || '';
	let n = BigInt((m[2] || '0') + frac);
	if (m[1] === '-')
		n = -n;
	return { n, s: frac.length };
}

function pow10(k) {
	return 10n ** BigInt(k);
}

/* PostgreSQL's numeric text after trim_scale: no trailing fractional zeros, '0' for zero */
function formatDecimal(n, s) {
	const neg = n < 0n;
	let digits = (neg ? -n : n).toString();
	if (s > 0) {
		digits = digits.padStart(s + 1, '0');
		let int = digits.slice(0, digits.length - s);
		let frac = digits.slice(digits.length - s).replace(/0+$/, '');
		digits = frac ? `${int}.${frac}` : int;
	}
	return (neg && n !== 0n ? '-' : '') + digits;
}

/* round(p / q) half away from zero, q > 0 */
function roundHalfAway(p, q) {
	const neg = p < 0n;
	const a = neg ? -p : p;
	const r = (2n * a + q) / (2n * q);
	return neg ? -r : r;
}

/* exact sum of decimal strings, as a canonical (trimmed) string */
function sumDecimals(list) {
	let s = 0;
	for (const t of list)
		s = Math.max(s, parseDecimal(t).s);
	let n = 0n;
	for (const t of list) {
		const d = parseDecimal(t);
		n += d.n * pow10(s - d.s);
	}
	return formatDecimal(n, s);
}

/* canonical form of a decimal string (for comparing '66.50' with '66.5') */
function canonicalDecimal(text) {
	const d = parseDecimal(text);
	return formatDecimal(d.n, d.s);
}

/*
 * Cumulative rounding of value over integer weights (BigInt):
 * C_i = (w_1 + ... + w_i) / W, S = max(16, scale of value),
 * credit_i = round(value C_i, S) - round(value C_{i-1}, S), half away from zero.
 */
function creditsFromWeights(weights, valueText) {
	const v = parseDecimal(valueText);
	const S = Math.max(16, v.s);
	const W = weights.reduce((a, b) => a + b, 0n);
	if (W <= 0n)
		throw new Error('oracle: weights sum to zero');
	const q = pow10(v.s) * W;
	const scaleUp = pow10(S);
	let cum = 0n;
	let prev = 0n;
	return weights.map((w) => {
		cum += w;
		const r = roundHalfAway(v.n * cum * scaleUp, q);
		const credit = r - prev;
		prev = r;
		return formatDecimal(credit, S);
	});
}

/* ------------------------------------------------------------------------
 * Rule-based attribution (mops.attribute)
 * ------------------------------------------------------------------------
 */
const MODELS = ['first_touch', 'last_touch', 'last_non_direct', 'linear', 'position_based',
	'u_shaped', 'time_decay', 'shapley_simplified'];

function ruleWeights(touches, model) {
	const n = touches.length;
	const w = new Array(n).fill(0n);
	switch (model) {
	case 'first_touch':
		w[0] = 1n;
		break;
	case 'last_touch':
		w[n - 1] = 1n;
		break;
	case 'last_non_direct': {
		let k = n - 1;
		for (let i = n - 1; i >= 0; i--)
			if (touches[i].channel !== 'direct') {
				k = i;
				break;
			}
		w[k] = 1n;
		break;
	}
	case 'linear':
		w.fill(1n);
		break;
	case 'position_based':
	case 'u_shaped':
		if (n <= 2)
			w.fill(1n);
		else {
			w.fill(1n);
			w[0] = BigInt(2 * (n - 2));
			w[n - 1] = BigInt(2 * (n - 2));
		}
		break;
	case 'shapley_simplified': {
		const seen = new Set();
		touches.forEach((t, i) => {
			if (!seen.has(t.channel)) {
				seen.add(t.channel);
				w[i] = 1n;
			}
		});
		break;
	}
	default:
		throw new Error(`oracle: unknown model ${model}`);
	}
	return w;
}

/*
 * attribute(path, model, value = '1', {conversionAt, halfLife})
 *   value: a decimal string (its scale matters) or a number
 *   conversionAt: microseconds (or a timestamp text), default the last touch
 *   halfLife: microseconds, default 7 days
 * Returns [{touch, channel, credit}] with credit an exact decimal string, for
 * time_decay a float (Number); time_decay rows also carry creditExact (a
 * string) when every delta/half-life is a non-negative integer (and they
 * span at most opts.exactLimit, default 30, half-lives), and weight.
 */
function attribute(path, model, value = '1', opts = {}) {
	const touches = parsePath(path);
	const valueText = typeof value === 'number' ? String(value) : value;
	const n = touches.length;
	if (!MODELS.includes(model))
		throw new Error(`oracle: unknown model ${model}`);
	if (n === 0)
		return [];
	if (model !== 'time_decay') {
		const credits = creditsFromWeights(ruleWeights(touches, model), valueText);
		return touches.map((t, i) => ({ touch: i + 1, channel: t.channel, credit: credits[i] }));
	}
	if (touches.some((t) => t.t === null))
		throw new Error('oracle: time_decay needs a timestamp on every touch');
	const halfLife = opts.halfLife === undefined || opts.halfLife === null ? 7 * 86400e6 : opts.halfLife;
	let conv = opts.conversionAt === undefined || opts.conversionAt === null ? touches[n - 1].t : opts.conversionAt;
	if (typeof conv === 'string')
		conv = parseTimestamp(conv);
	/*
	 * Relative to the touch closest to the conversion, so that nothing
	 * underflows: w_i = 2^-((tmax - t_i) / h), the difference taken in whole
	 * microseconds (exact) before dividing, so that a long time to the
	 * conversion costs no precision.
	 */
	const tmax = Math.max(...touches.map((t) => t.t));
	const w = touches.map((t) => Math.pow(2, -(tmax - t.t) / halfLife));
	const W = w.reduce((a, b) => a + b, 0);
	const v = Number(valueText);
	const rows = touches.map((t, i) => ({ touch: i + 1, channel: t.channel, credit: v * w[i] / W, weight: w[i] / W }));
	/*
	 * Exact when every delta is a non-negative whole number of half-lives, at
	 * most opts.exactLimit (default 30) of them: the weights are then
	 * 2^(M - m_i), integers a C implementation can hold exactly.
	 */
	const whole = touches.map((t) => {
		const d = conv - t.t;
		return d >= 0 && Number.isInteger(d) && Number.isInteger(halfLife) && d % halfLife === 0 ? d / halfLife : null;
	});
	const limit = opts.exactLimit === undefined ? 30 : opts.exactLimit;
	if (whole.every((m) => m !== null && m - Math.min(...whole) <= limit)) {
		const M = Math.max(...whole);
		const credits = creditsFromWeights(whole.map((m) => 1n << BigInt(M - m)), valueText);
		rows.forEach((r, i) => { r.creditExact = credits[i]; });
	}
	return rows;
}

/* ------------------------------------------------------------------------
 * Markov attribution (mops.markov_fit + mops.markov_attribution)
 * ------------------------------------------------------------------------
 */

/* the channels of a path, consecutive repeats collapsed */
function collapse(channels) {
	return channels.filter((c, i) => i === 0 || c !== channels[i - 1]);
}

/* the states (arrays of channels) of a collapsed path for order k */
function pathStates(c, k) {
	if (c.length === 0)
		return [];
	if (c.length < k)
		return [c.slice()];
	const out = [];
	for (let i = 0; i + k <= c.length; i++)
		out.push(c.slice(i, i + k));
	return out;
}

function byteCompare(a, b) {
	return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/*
 * fit(rows, order, opts) -> the model: states, transition weights, per-state
 * value sums.  rows: [{path, conversions, value, nulls}] (path as for
 * parsePath).  Every row counts in the totals (sum C, sum V over all paths).
 * A row with conversions + nulls = 0 adds no transitions; what else it adds is
 * not fixed by the definitions (README.md, "Ambiguities"):
 *   opts.zeroWeight = 'literal' (default): its states exist (so its channels
 *     are listed, with removal effect 0) and its value counts in mv_j of its
 *     last state, as the definitions read word for word;
 *   opts.zeroWeight = 'skip': the row adds nothing but its totals.
 * The random data of attribution.js never depends on the difference.  Empty
 * paths add nothing to the chain, only to the totals.
 */
function fit(rows, order = 1, opts = {}) {
	const zeroWeight = opts.zeroWeight || 'literal';
	if (!Number.isInteger(order) || order < 1 || order > 4)
		throw new Error('oracle: order must be 1..4');
	const index = new Map();	/* state key -> id */
	const states = [];			/* [{key, channels, out: Map(target -> weight), conv, nul, sumV, sumC}] */
	const start = new Map();	/* state id -> weight */
	let totalConv = 0;
	let totalValue = 0;
	const stateId = (chs) => {
		const key = chs.join(' > ');
		let id = index.get(key);
		if (id === undefined) {
			id = states.length;
			index.set(key, id);
			states.push({ key, channels: chs, out: new Map(), conv: 0, nul: 0, sumV: 0, sumC: 0 });
		}
		return id;
	};
	for (const row of rows) {
		const C = Number(row.conversions);
		const N = Number(row.nulls);
		const V = Number(row.value);
		const chs = collapse(parsePath(row.path).map((t) => t.channel));
		totalConv += C;
		totalValue += V;
		if (chs.length === 0 || (C + N === 0 && zeroWeight === 'skip'))
			continue;
		const ids = pathStates(chs, order).map(stateId);
		const w = C + N;
		if (w === 0) {
			const last = states[ids[ids.length - 1]];
			last.sumV += V;
			last.sumC += C;
			continue;
		}
		start.set(ids[0], (start.get(ids[0]) || 0) + w);
		for (let i = 0; i + 1 < ids.length; i++) {
			const out = states[ids[i]].out;
			out.set(ids[i + 1], (out.get(ids[i + 1]) || 0) + w);
		}
		const last = states[ids[ids.length - 1]];
		last.conv += C;
		last.nul += N;
		last.sumV += V;
		last.sumC += C;
	}
	return { order, states, start, totalConv, totalValue };
}

/*
 * Transition probabilities: for each state, its successors with p, and
 * p(-> conversion); the start state's successors.
 */
function probabilities(model) {
	const probs = model.states.map((s) => {
		let total = s.conv + s.nul;
		for (const w of s.out.values())
			total += w;
		const succ = [];
		for (const [t, w] of s.out)
			succ.push([t, w / total]);
		return { succ, pconv: total > 0 ? s.conv / total : 0 };
	});
	let st = 0;
	for (const w of model.start.values())
		st += w;
	const start = [];
	for (const [t, w] of model.start)
		start.push([t, w / st]);
	return { probs, start };
}

/*
 * Expected visits from the start to the kept states (keep[j] true), the
 * others removed (every transition into them leads to null): the solution of
 * (I - Q^T) v = b on the kept states, Q the transition probabilities among
 * them and b the start's.  Gaussian elimination with partial pivoting on a
 * dense matrix, skipping the zeros of the pivot row and column (the matrix is
 * sparse and stays fairly sparse under a good elimination order).  The order
 * of elimination: the states by (number of successors + predecessors)
 * ascending, a cheap fill-reducing heuristic.  The system matrix is column
 * diagonally dominant (column j of I - Q^T is 1 - q_jj on the diagonal and
 * -q_jk, summing to at most 1 - q_jj, below and above it), so partial pivoting
 * keeps the diagonal pivots; the pivot search is done anyway and the row
 * swaps are counted (stats.swaps).
 */
function solveVisits(pr, keep, stats) {
	const nAll = pr.probs.length;
	const ids = [];
	for (let j = 0; j < nAll; j++)
		if (keep[j])
			ids.push(j);
	const degree = new Array(nAll).fill(0);
	for (const j of ids)
		for (const [t] of pr.probs[j].succ)
			if (keep[t]) {
				degree[j]++;
				degree[t]++;
			}
	ids.sort((a, b) => degree[a] - degree[b] || a - b);
	const n = ids.length;
	const pos = new Int32Array(nAll).fill(-1);
	ids.forEach((j, i) => { pos[j] = i; });
	const A = new Float64Array(n * n);
	const rhs = new Float64Array(n);
	/* row i of (I - Q^T): v_i - sum_k q_ki v_k = b_i */
	for (let i = 0; i < n; i++)
		A[i * n + i] = 1;
	for (const j of ids) {
		const col = pos[j];
		for (const [t, p] of pr.probs[j].succ) {
			if (!keep[t])
				continue;
			A[pos[t] * n + col] -= p;
		}
	}
	for (const [t, p] of pr.start)
		if (keep[t])
			rhs[pos[t]] += p;

	const nzCols = new Int32Array(n);
	for (let k = 0; k < n; k++) {
		/* partial pivoting: the largest |a_ik|, i >= k */
		let piv = k;
		let best = Math.abs(A[k * n + k]);
		for (let i = k + 1; i < n; i++) {
			const a = Math.abs(A[i * n + k]);
			if (a > best) {
				best = a;
				piv = i;
			}
		}
		if (best === 0)
			throw new Error('oracle: singular system');
		if (piv !== k) {
			stats.swaps++;
			for (let j = 0; j < n; j++) {
				const x = A[k * n + j];
				A[k * n + j] = A[piv * n + j];
				A[piv * n + j] = x;
			}
			const x = rhs[k];
			rhs[k] = rhs[piv];
			rhs[piv] = x;
		}
		const rk = k * n;
		const akk = A[rk + k];
		let nnz = 0;
		for (let j = k + 1; j < n; j++)
			if (A[rk + j] !== 0)
				nzCols[nnz++] = j;
		const bk = rhs[k];
		for (let i = k + 1; i < n; i++) {
			const ri = i * n;
			const aik = A[ri + k];
			if (aik === 0)
				continue;
			const f = aik / akk;
			A[ri + k] = 0;
			for (let q = 0; q < nnz; q++) {
				const j = nzCols[q];
				A[ri + j] -= f * A[rk + j];
			}
			rhs[i] -= f * bk;
			stats.flops += nnz;
		}
	}
	/* back substitution */
	const x = new Float64Array(n);
	for (let k = n - 1; k >= 0; k--) {
		const rk = k * n;
		let s = rhs[k];
		for (let j = k + 1; j < n; j++) {
			const a = A[rk + j];
			if (a !== 0)
				s -= a * x[j];
		}
		x[k] = s / A[rk + k];
	}
	const visits = new Float64Array(nAll);
	for (let i = 0; i < n; i++)
		visits[ids[i]] = x[i];
	return visits;
}

/* P_j (probability of converting with j as the last state) for the kept states */
function conversionByLastState(pr, keep, stats) {
	const v = solveVisits(pr, keep, stats);
	const Pj = new Float64Array(pr.probs.length);
	let P = 0;
	for (let j = 0; j < Pj.length; j++) {
		if (!keep[j])
			continue;
		Pj[j] = v[j] * pr.probs[j].pconv;
		P += Pj[j];
	}
	return { P, Pj, visits: v };
}

/*
 * markov(rows, order, opts) -> {order, nstates, P, totalConv, totalValue,
 *   channels: [{channel, removal_effect, conversions, value, Pminus}], swaps}
 * rows may also be a model from fit(); opts as for fit().
 */
function markov(rows, order = 1, opts = {}) {
	const model = Array.isArray(rows) ? fit(rows, order, opts) : rows;
	const pr = probabilities(model);
	const nStates = model.states.length;
	const stats = { swaps: 0, flops: 0 };
	const all = new Array(nStates).fill(true);
	const base = conversionByLastState(pr, all, stats);
	const mv = model.states.map((s) => (s.sumC !== 0 ? s.sumV / s.sumC : 0));
	let baseValue = 0;
	for (let j = 0; j < nStates; j++)
		baseValue += mv[j] * base.Pj[j];

	const chanSet = new Set();
	for (const s of model.states)
		for (const c of s.channels)
			chanSet.add(c);
	const channels = [...chanSet].sort(byteCompare);
	const res = channels.map((c) => {
		const keep = model.states.map((s) => !s.channels.includes(c));
		const r = conversionByLastState(pr, keep, stats);
		let lost = 0;
		for (let j = 0; j < nStates; j++)
			lost += mv[j] * (base.Pj[j] - r.Pj[j]);
		return {
			channel: c,
			Pminus: r.P,
			re: base.P > 0 ? 1 - r.P / base.P : 0,
			rev: base.P > 0 && baseValue > 0 ? lost / baseValue : 0,
		};
	});
	const sumRE = res.reduce((a, r) => a + r.re, 0);
	const sumREV = res.reduce((a, r) => a + r.rev, 0);
	return {
		order: model.order,
		nstates: nStates,
		P: base.P,
		Pj: base.Pj,
		totalConv: model.totalConv,
		totalValue: model.totalValue,
		swaps: stats.swaps,
		flops: stats.flops,
		model,
		channels: res.map((r) => ({
			channel: r.channel,
			removal_effect: r.re,
			conversions: sumRE > 0 ? r.re / sumRE * model.totalConv : 0,
			value: sumREV > 0 ? r.rev / sumREV * model.totalValue : 0,
			Pminus: r.Pminus,
		})),
	};
}

/*
 * A second, independent computation of P (or P^{-c}) for cross-checks:
 * value iteration on the absorption probabilities h = Q h + r (h_j the
 * probability of converting from state j), Gauss-Jacobi sweeps until no
 * entry moves by more than tol (or maxIter sweeps), then P = sum b_j h_j.
 */
function absorptionByIteration(model, removedChannel = null, tol = 1e-17, maxIter = 1e7) {
	const pr = probabilities(model);
	const n = pr.probs.length;
	const keep = model.states.map((s) => removedChannel === null || !s.channels.includes(removedChannel));
	let h = new Float64Array(n);
	let next = new Float64Array(n);
	let iter = 0;
	for (; iter < maxIter; iter++) {
		let delta = 0;
		for (let j = 0; j < n; j++) {
			if (!keep[j]) {
				next[j] = 0;
				continue;
			}
			let s = pr.probs[j].pconv;
			for (const [t, p] of pr.probs[j].succ)
				if (keep[t])
					s += p * h[t];
			delta = Math.max(delta, Math.abs(s - h[j]));
			next[j] = s;
		}
		[h, next] = [next, h];
		if (delta <= tol)
			break;
	}
	let P = 0;
	for (const [t, p] of pr.start)
		if (keep[t])
			P += p * h[t];
	return { P, iterations: iter + 1 };
}

/*
 * The whole of markov() again with a second method, for cross-checks: the
 * expected visits by fixed-point iteration v = b + Q^T v (Jacobi sweeps, from
 * v = 0, until no entry changes or maxIter sweeps).
 */
function markovByIteration(model, maxIter = 1e6) {
	const pr = probabilities(model);
	const n = pr.probs.length;
	const solve = (keep) => {
		let v = new Float64Array(n);
		let next = new Float64Array(n);
		let iter = 0;
		for (; iter < maxIter; iter++) {
			next.fill(0);
			for (const [t, p] of pr.start)
				if (keep[t])
					next[t] += p;
			for (let j = 0; j < n; j++) {
				if (!keep[j] || v[j] === 0)
					continue;
				for (const [t, p] of pr.probs[j].succ)
					if (keep[t])
						next[t] += p * v[j];
			}
			let same = true;
			for (let j = 0; j < n && same; j++)
				same = next[j] === v[j];
			[v, next] = [next, v];
			if (same)
				break;
		}
		const Pj = new Float64Array(n);
		let P = 0;
		for (let j = 0; j < n; j++) {
			Pj[j] = v[j] * pr.probs[j].pconv;
			P += Pj[j];
		}
		return { P, Pj, iterations: iter + 1 };
	};
	const base = solve(new Array(n).fill(true));
	const mv = model.states.map((s) => (s.sumC !== 0 ? s.sumV / s.sumC : 0));
	let baseValue = 0;
	for (let j = 0; j < n; j++)
		baseValue += mv[j] * base.Pj[j];
	const chanSet = new Set();
	for (const s of model.states)
		for (const c of s.channels)
			chanSet.add(c);
	let maxIterations = base.iterations;
	const res = [...chanSet].sort(byteCompare).map((c) => {
		const r = solve(model.states.map((s) => !s.channels.includes(c)));
		maxIterations = Math.max(maxIterations, r.iterations);
		let lost = 0;
		for (let j = 0; j < n; j++)
			lost += mv[j] * (base.Pj[j] - r.Pj[j]);
		return { channel: c, Pminus: r.P, re: base.P > 0 ? 1 - r.P / base.P : 0, rev: base.P > 0 && baseValue > 0 ? lost / baseValue : 0 };
	});
	const sumRE = res.reduce((a, r) => a + r.re, 0);
	const sumREV = res.reduce((a, r) => a + r.rev, 0);
	return {
		P: base.P,
		Pj: base.Pj,
		iterations: maxIterations,
		channels: res.map((r) => ({
			channel: r.channel,
			removal_effect: r.re,
			conversions: sumRE > 0 ? r.re / sumRE * model.totalConv : 0,
			value: sumREV > 0 ? r.rev / sumREV * model.totalValue : 0,
			Pminus: r.Pminus,
		})),
	};
}

/* read a channel_paths.csv style file: path;conversions;value;nulls */
function readChannelPaths(file) {
	const fs = require('fs');
	const lines = fs.readFileSync(file, 'utf8').split(/\r?\n/).filter((l) => l.trim() !== '');
	return lines.slice(1).map((l) => {
		const [path, c, v, n] = l.split(';');
		return { path, conversions: Number(c), value: Number(v), nulls: Number(n), text: { c, v, n } };
	});
}

module.exports = {
	MODELS,
	normalizeLabel,
	parseTimestamp,
	parsePath,
	parseDecimal,
	formatDecimal,
	canonicalDecimal,
	sumDecimals,
	creditsFromWeights,
	attribute,
	collapse,
	pathStates,
	fit,
	markov,
	absorptionByIteration,
	markovByIteration,
	readChannelPaths,
	channelPathsReport,
	byteCompare,
};

/* ------------------------------------------------------------------------
 * Run directly: check the oracle against the published examples only.
 * ------------------------------------------------------------------------
 */
function selfCheck() {
	let failures = 0;
	const expect = (what, got, want) => {
		const ok = JSON.stringify(got) === JSON.stringify(want);
		if (!ok) {
			failures++;
			console.log(`FAIL ${what}: got ${JSON.stringify(got)}, want ${JSON.stringify(want)}`);
		}
	};
	const credits = (p, m, v, o) => attribute(p, m, v, o).map((r) => r.credit);
	expect('linear 140', credits('direct > organic_search > direct', 'linear', '140'),
		['46.6666666666666667', '46.6666666666666666', '46.6666666666666667']);
	expect('position_based 140', credits('direct > organic_search > direct', 'position_based', '140'), ['56', '28', '56']);
	expect('u_shaped 140', credits('direct > organic_search > direct', 'u_shaped', '140'), ['56', '28', '56']);
	expect('linear 66.5', credits('display_other > organic_search', 'linear', '66.5'), ['33.25', '33.25']);
	expect('position_based 66.5', credits('display_other > organic_search', 'position_based', '66.5'), ['33.25', '33.25']);
	expect('position_based 5 touches', credits('a > b > c > d > e', 'position_based', '100'), ['40', '6.6666666666666667',
		'6.6666666666666666', '6.6666666666666667', '40']);
	expect('last_non_direct', credits('email > direct > direct', 'last_non_direct', '10'), ['10', '0', '0']);
	expect('last_non_direct all direct', credits('direct > direct', 'last_non_direct', '10'), ['0', '10']);
	expect('shapley_simplified', credits('a > b > a > c', 'shapley_simplified', '1'),
		['0.3333333333333333', '0.3333333333333334', '0', '0.3333333333333333']);
	const td = attribute('a@2026-01-01 00:00:00+00 > b@2026-01-08 00:00:00+00 > c@2026-01-15 00:00:00+00', 'time_decay', '7');
	expect('time_decay exact', td.map((r) => r.creditExact), ['1', '2', '4']);
	expect('time_decay float', td.map((r) => Math.round(r.credit * 1e12) / 1e12), [1, 2, 4]);
	expect('sum', sumDecimals(credits('a > b > c', 'linear', '0.001')), '0.001');
	expect('empty path', attribute('', 'linear', '5'), []);
	/* Markov: a tiny chain solved by hand.  a > b converts 1 of 2, b alone 1 of 2:
	 * P = 1/2; without a: P = 1/4 (RE 1/2); without b: 0 (RE 1). */
	const m = markov([
		{ path: 'a > b', conversions: 1, value: 10, nulls: 1 },
		{ path: 'b', conversions: 1, value: 30, nulls: 1 },
	], 1);
	expect('markov P', Math.round(m.P * 1e12) / 1e12, 0.5);
	expect('markov RE', m.channels.map((c) => Math.round(c.removal_effect * 1e12) / 1e12), [0.5, 1]);
	expect('markov conversions', m.channels.map((c) => Math.round(c.conversions * 1e9) / 1e9), [2 / 3, 4 / 3].map((x) => Math.round(x * 1e9) / 1e9));
	if (failures === 0)
		console.log('attribution_oracle.js: library (used by attribution.js); self-check of the published examples ok');
	return failures;
}

/*
 * The text of channel_paths_oracle.txt: the Markov attribution of
 * channel_paths.csv for orders 1-4, 10 significant digits, with the
 * cross-checks (printed as comments).  Throws if a check fails.
 */
function channelPathsReport(file) {
	const rows = readChannelPaths(file);
	const sig = (x) => (x === 0 ? '0' : x.toPrecision(10));
	const totalC = sumDecimals(rows.map((r) => r.text.c));
	const totalV = sumDecimals(rows.map((r) => r.text.v));
	const totalN = sumDecimals(rows.map((r) => r.text.n));
	const exactP = Number(totalC) / (Number(totalC) + Number(totalN));
	const out = [];
	const fail = (msg) => { throw new Error(`channel_paths: ${msg}`); };
	out.push('# Markov attribution (mops.markov_fit + mops.markov_attribution) of channel_paths.csv');
	out.push('# (the ChannelAttribution example data, 10,000 paths), computed by');
	out.push('# test/differential/attribution_oracle.js: node attribution_oracle.js channel_paths CSV');
	out.push('# The chain is solved directly (Gaussian elimination with partial pivoting on');
	out.push('# (I - Q^T) v = b); every number is printed with 10 significant digits.');
	out.push('#');
	out.push(`paths ${rows.length}`);
	out.push(`total_conversions ${totalC}`);
	out.push(`total_value ${totalV}`);
	out.push(`total_null ${totalN}`);
	for (const k of [1, 2, 3, 4]) {
		const r = markov(rows, k);
		const it = markovByIteration(r.model);
		out.push('');
		out.push(`order ${k}`);
		out.push(`states ${r.nstates}`);
		out.push(`P ${sig(r.P)}`);
		out.push('channel;removal_effect;conversions;value');
		let dRE = 0;
		let dConv = 0;
		let dVal = 0;
		let dPm = 0;
		for (const [i, c] of r.channels.entries()) {
			out.push(`${c.channel};${sig(c.removal_effect)};${sig(c.conversions)};${sig(c.value)}`);
			const o = it.channels[i];
			if (o.channel !== c.channel)
				fail('channel lists differ');
			dRE = Math.max(dRE, Math.abs(o.removal_effect - c.removal_effect) / c.removal_effect);
			dConv = Math.max(dConv, Math.abs(o.conversions - c.conversions) / c.conversions);
			dVal = Math.max(dVal, Math.abs(o.value - c.value) / c.value);
			dPm = Math.max(dPm, Math.abs(o.Pminus - c.Pminus) / c.Pminus);
			if (!(c.removal_effect >= 0 && c.removal_effect <= 1))
				fail(`order ${k}: removal effect of ${c.channel} is ${c.removal_effect}`);
		}
		const sumConv = r.channels.reduce((a, c) => a + c.conversions, 0);
		const sumVal = r.channels.reduce((a, c) => a + c.value, 0);
		const sumPj = r.Pj.reduce((a, x) => a + x, 0);
		out.push(`sum conversions ${sig(sumConv)}, sum value ${sig(sumVal)}`);
		out.push(`# checks: P - C/(C+N) (flow conservation) = ${(r.P - exactP).toExponential(2)};` +
			` sum_j P_j - P = ${(sumPj - r.P).toExponential(2)}; row swaps in the elimination: ${r.swaps}`);
		out.push(`# second method (Jacobi iteration on the visits, ${it.iterations} sweeps at most), largest relative difference:` +
			` P ${(Math.abs(it.P - r.P) / r.P).toExponential(2)}, P^-c ${dPm.toExponential(2)},` +
			` removal_effect ${dRE.toExponential(2)}, conversions ${dConv.toExponential(2)}, value ${dVal.toExponential(2)}`);
		if (Math.abs(r.P - exactP) > 1e-12 || Math.max(dRE, dConv, dVal, dPm) > 1e-10)
			fail(`order ${k}: the cross-checks disagree`);
		if (Math.abs(sumConv - Number(totalC)) > 1e-6 || Math.abs(sumVal - Number(totalV)) > 1e-6)
			fail(`order ${k}: the sums are not the totals`);
	}
	return out.join('\n') + '\n';
}

if (require.main === module) {
	if (process.argv[2] === 'channel_paths')
		process.stdout.write(channelPathsReport(process.argv[3] ||
			require('path').join(__dirname, '..', 'data', 'channel_paths.csv')));
	else
		process.exitCode = selfCheck() ? 1 : 0;
}
