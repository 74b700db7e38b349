#!/usr/bin/env node
/*
 * attribution.js - differential test of mops's attribution against an
 * independent reference implementation (attribution_oracle.js in this
 * directory, written from the definitions, solving the Markov chain by a
 * direct method where mops iterates).
 *
 *   1. channel_paths.csv (the ChannelAttribution example, 10,000 paths):
 *      mops.markov_attribution(mops.markov_fit(...)) for orders 1-4 against
 *      the oracle, also fitted in two halves and combined with markov_merge,
 *      in seven parts combined with markov_merge_agg, through the model's
 *      text form, and with parallel aggregation forced.
 *   2. Random path sets from a seed (MOPS_DIFF_SETS, default 40): every
 *      channel's removal effect, conversions and value, orders 1-4, the same
 *      variants.
 *   3. mops.attribute, every model, on random paths (MOPS_DIFF_PATHS, default
 *      2000): credits as exact decimal strings (time_decay: within 1e-12 of the
 *      value, exact when the deltas are whole half-lives), and the credits of
 *      every path summing to the value exactly.
 *
 * The database mops_differential_attr is recreated on the server given by
 * PGHOST / PGPORT / PGUSER / PGDATABASE.  Any difference is printed with the
 * input, minimised, as a ready-to-run query; the script then exits non-zero.
 *
 * See README.md in this directory.
 */
'use strict';

const path = require('path');
const { intEnv, makeRng } = require(path.join(__dirname, 'lib', 'common.js'));
const fs = require('fs');
const { execSync } = require('child_process');
const oracle = require('./attribution_oracle.js');

const nodeDir = path.join(__dirname, '..', 'node');
const modulesDir = path.join(nodeDir, 'node_modules');
if (!fs.existsSync(path.join(modulesDir, 'pg'))) {
	console.log('installing pg (npm install --no-save in test/node)');
	execSync('npm install --no-save --no-audit --no-fund', { cwd: nodeDir, stdio: 'inherit' });
}
const { Client } = require(path.join(modulesDir, 'pg'));

/* ------------------------------------------------------------------------
 * Parameters
 * ------------------------------------------------------------------------
 */
const SEED = process.env.MOPS_DIFF_SEED || '1';
const SETS = intEnv('MOPS_DIFF_SETS', 40);			/* random Markov path sets */
const PATHS = intEnv('MOPS_DIFF_PATHS', 2000);		/* random paths for attribute */
const MINIMISE = intEnv('MOPS_DIFF_MINIMISE', 3);	/* differences to minimise */
const SHOW = intEnv('MOPS_DIFF_SHOW', 10);			/* differences to print */
const DBNAME = process.env.MOPS_DIFF_DB || 'mops_differential_attr';
if (!/^[a-z_][a-z0-9_]*$/.test(DBNAME))
	throw new Error(`MOPS_DIFF_DB must be a lower-case identifier, not "${DBNAME}"`);
const PARTS = (process.env.MOPS_DIFF_PARTS || 'markov attribute').split(/[\s,]+/).filter(Boolean);
for (const p of PARTS)
	if (!['markov', 'attribute'].includes(p))
		throw new Error(`MOPS_DIFF_PARTS lists markov and/or attribute, not "${p}"`);
const KEEP_DB = process.env.MOPS_DIFF_KEEP === '1';
const VERBOSE = process.env.MOPS_DIFF_VERBOSE === '1';
const CSV = process.env.MOPS_CHANNEL_PATHS ||
	path.join(__dirname, '..', 'data', 'channel_paths.csv');
const MAX_STATES = 2500;	/* random sets are trimmed to this many order-4 states */

/* Markov numbers agree when within 1e-6, absolutely or relatively */
const MARKOV_TOL = 1e-6;
/* the same model built two ways in mops (merge, text form, parallel) */
const SELF_TOL = 1e-9;
/* time_decay credits: within 1e-12 of the value */
const DECAY_TOL = 1e-12;

/* ------------------------------------------------------------------------
 * Channels
 * ------------------------------------------------------------------------
 * Normalised labels.  'paid_social' / 'paidsearch' sort differently in byte
 * order and in most collations; 'émail' and 'zoë' are not ASCII.
 */
const CHANNELS = ['direct', 'email', 'paid_search', 'organic_search', 'display_other', 'paid_social',
	'paidsearch', 'social', 'affiliate', 'referral', 'sms', 'video', 'émail', 'zoë', 'tv', 'c16'];
/* how a label may be written in a path (mops normalises it) */
const SPELLINGS = {
	direct: ['Direct', 'DIRECT'],
	paid_search: ['Paid Search', 'PAID-SEARCH', 'paid  search'],
	organic_search: ['Organic_Search', 'organic-search'],
	email: ['Email', 'EMAIL'],
};

function sqlString(s) {
	return `'${String(s).replace(/'/g, "''")}'`;
}

/* ------------------------------------------------------------------------
 * Random Markov path sets
 * ------------------------------------------------------------------------
 */
function randomDecimal(rng, maxInt, maxScale) {
	const scale = rng.int(0, maxScale);
	const int = rng.int(0, maxInt);
	const frac = scale ? String(rng.int(0, 10 ** scale - 1)).padStart(scale, '0') : '';
	return Number(frac ? `${int}.${frac}` : String(int));
}

function randomValue(rng, C) {
	if (C === 0)	/* value without conversions: rare, and allowed */
		return rng.chance(0.9) ? 0 : randomDecimal(rng, 50, 2);
	const r = rng.next();
	if (r < 0.08) return 0;
	if (r < 0.15) return 0.001 * C;
	if (r < 0.2) return 123456789.123;
	if (r < 0.3) return C * 66.5;
	return Number((C * randomDecimal(rng, 200, 3)).toFixed(6));
}

function makeSet(rng, id) {
	const kind = ['single', 'no_conversions', 'no_nulls', 'loop', 'one_channel', 'fractional', 'no_value'][id - 1] || 'random';
	let channels = rng.shuffle(CHANNELS.slice()).slice(0, rng.int(1, 15));
	if (rng.chance(0.5) && !channels.includes('direct'))
		channels[0] = 'direct';
	if (kind === 'single' || kind === 'one_channel')
		channels = ['direct'];
	if (kind === 'loop')
		channels = ['email', 'social', rng.pick(['direct', 'tv'])];
	/* a skewed popularity, so that some channels are rare */
	const pop = channels.map(() => rng.next() ** 2 + 0.02);
	const popSum = pop.reduce((a, b) => a + b, 0);
	const pickChannel = () => {
		let r = rng.next() * popSum;
		for (let i = 0; i < channels.length; i++) {
			r -= pop[i];
			if (r <= 0)
				return channels[i];
		}
		return channels[channels.length - 1];
	};
	const repeat = rng.next() * 0.5;
	const npaths = kind === 'single' ? 1 : rng.int(1, rng.pick([5, 30, 150, 400]));
	const rows = [];
	for (let i = 0; i < npaths; i++) {
		let len;
		const r = rng.next();
		if (kind === 'loop')	/* long alternations: many expected visits */
			len = rng.int(50, 300);
		else if (r < 0.65)
			len = rng.int(1, 5);
		else if (r < 0.9)
			len = rng.int(6, 15);
		else
			len = rng.int(16, 50);
		const chs = [];
		for (let j = 0; j < len; j++) {
			if (kind === 'loop')
				chs.push(j % 2 === 0 ? 'email' : (rng.chance(0.97) ? 'social' : channels[2]));
			else
				chs.push(j > 0 && rng.chance(repeat) ? chs[j - 1] : pickChannel());
		}
		let C = rng.chance(0.35) ? 0 : rng.int(1, 20);
		let N = rng.chance(0.25) ? 0 : rng.int(1, 40);
		if (kind === 'no_conversions')
			C = 0;
		if (kind === 'no_nulls')
			N = 0;
		if (kind === 'loop') {
			C = rng.int(0, 3);
			N = rng.int(0, 3);
		}
		if (kind === 'fractional' || (kind === 'random' && rng.chance(0.05))) {
			C = C ? C + randomDecimal(rng, 0, 3) : 0;
			N = N ? N + randomDecimal(rng, 0, 3) : 0;
		}
		rows.push({ path: chs.join(' > '), chs, conversions: C, nulls: N, value: kind === 'no_value' ? 0 : randomValue(rng, C) });
	}
	/* at least one row with weight */
	if (rows.every((r) => r.conversions + r.nulls === 0))
		rows[0].nulls = 1;
	/*
	 * Rows with conversions + nulls = 0 get value 0 and only channels that
	 * rows with weight have: the definitions leave open what else such a row
	 * adds (README.md, "Ambiguities"), and this way it does not matter.
	 */
	const weighted = rows.filter((r) => r.conversions + r.nulls > 0);
	for (const r of rows)
		if (r.conversions + r.nulls === 0) {
			const src = rng.pick(weighted).chs;
			r.chs = src.slice(0, rng.int(1, src.length));
			r.path = r.chs.join(' > ');
			r.value = 0;
		}
	/* keep the order-4 state count affordable for the dense oracle */
	while (rows.length > 1 && oracle.fit(rows, 4).states.length > MAX_STATES) {
		const k = rows.findIndex((r, i) => i > 0 && r.chs.length > 10);
		rows.splice(k > 0 ? k : rows.length - 1, 1);
	}
	rows.forEach((r, i) => { r.rowId = i + 1; });
	return { id, kind, rows };
}

/* ------------------------------------------------------------------------
 * Markov: SQL and comparison
 * ------------------------------------------------------------------------
 */
async function createMarkovTable(pg, table, sets) {
	await pg.query(`CREATE TABLE ${table} (set_id integer NOT NULL, row_id integer NOT NULL, path text NOT NULL,
		conv float8 NOT NULL, value float8 NOT NULL, nulls float8 NOT NULL)`);
	const rows = [];
	for (const s of sets)
		for (const r of s.rows)
			rows.push([s.id, r.rowId, r.path, r.conversions, r.value, r.nulls]);
	for (let i = 0; i < rows.length; i += 20000) {
		const chunk = rows.slice(i, i + 20000);
		await pg.query(`INSERT INTO ${table} SELECT * FROM unnest($1::int[], $2::int[], $3::text[],
			$4::float8[], $5::float8[], $6::float8[])`, [0, 1, 2, 3, 4, 5].map((k) => chunk.map((r) => r[k])));
	}
	await pg.query(`ANALYZE ${table}`);
}

function fitSql(order, where = '') {
	const orderArg = order === null ? '' : `, ${order}`;
	return `mops.markov_fit(path::mops.touch_path, conv, value, nulls${orderArg})${where ? ` FILTER (WHERE ${where})` : ''}`;
}

/* the model per set, built in one of several ways (SQL yielding set_id, m) */
function modelSql(table, order, variant) {
	switch (variant) {
	case 'fit':
	case 'parallel':
		return `SELECT set_id, ${fitSql(order)} AS m FROM ${table} GROUP BY set_id`;
	case 'default_order':
		return `SELECT set_id, ${fitSql(null)} AS m FROM ${table} GROUP BY set_id`;
	case 'merge':	/* two halves; sets with a single row have no second half */
		return `SELECT set_id, mops.markov_merge(${fitSql(order, 'row_id % 2 = 0')}, ${fitSql(order, 'row_id % 2 = 1')}) AS m
			FROM ${table} GROUP BY set_id HAVING count(*) > 1`;
	case 'merge_agg':
		return `SELECT set_id, mops.markov_merge_agg(m) AS m
			FROM (SELECT set_id, row_id % 7 AS part, ${fitSql(order)} AS m FROM ${table} GROUP BY 1, 2) p GROUP BY set_id`;
	case 'text':
		return `SELECT set_id, (${fitSql(order)})::text::mops.markov_model AS m FROM ${table} GROUP BY set_id`;
	default:
		throw new Error(variant);
	}
}

async function markovAnswers(pg, table, order, variant) {
	const sql = `SELECT s.set_id, a.ord, a.channel, a.removal_effect, a.conversions, a.value
		FROM (${modelSql(table, order, variant)}) s
		CROSS JOIN LATERAL mops.markov_attribution(s.m) WITH ORDINALITY AS a(channel, removal_effect, conversions, value, ord)
		ORDER BY s.set_id, a.ord`;
	const bySet = new Map();
	for (const r of (await pg.query(sql)).rows) {
		if (!bySet.has(r.set_id))
			bySet.set(r.set_id, []);
		bySet.get(r.set_id).push(r);
	}
	return bySet;
}

function close(a, b, tol) {
	if (typeof a !== 'number' || typeof b !== 'number' || Number.isNaN(a) || Number.isNaN(b))
		return false;
	const d = Math.abs(a - b);
	return d <= tol || d <= tol * Math.max(Math.abs(a), Math.abs(b));
}

/* the largest difference from the oracle seen (relative, or absolute below 1) */
const deviation = { max: 0, where: '' };

/* null when mops's rows match the expected channels, else what differs */
function markovDiff(got, want, tol, label = null) {
	got = got || [];
	const gotNames = got.map((r) => r.channel);
	const wantNames = want.map((c) => c.channel);
	if (JSON.stringify(gotNames) !== JSON.stringify(wantNames))
		return `channels ${JSON.stringify(gotNames)}, expected ${JSON.stringify(wantNames)} (byte order)`;
	const out = [];
	for (let i = 0; i < got.length; i++)
		for (const f of ['removal_effect', 'conversions', 'value']) {
			if (!close(got[i][f], want[i][f], tol))
				out.push(`${want[i].channel}.${f}: mops ${got[i][f]}, expected ${want[i][f]}`);
			else if (label !== null) {
				const d = Math.abs(got[i][f] - want[i][f]) / Math.max(1, Math.abs(want[i][f]));
				if (d > deviation.max) {
					deviation.max = d;
					deviation.where = `${label} ${want[i].channel}.${f}`;
				}
			}
		}
	return out.length ? out.join('; ') : null;
}

/* where two texts first differ */
function textDiff(a, b) {
	if (typeof a !== 'string' || typeof b !== 'string')
		return `${JSON.stringify(a)} against ${JSON.stringify(b)}`;
	let i = 0;
	while (i < a.length && i < b.length && a[i] === b[i])
		i++;
	const from = Math.max(0, i - 40);
	return `at character ${i}: ...${JSON.stringify(a.slice(from, i + 60))} against ...${JSON.stringify(b.slice(from, i + 60))}`;
}

function markovSingleSql(rows, order) {
	const values = rows.map((r) => `(${sqlString(r.path)}, ${r.conversions}::float8, ${r.value}::float8, ${r.nulls}::float8)`);
	return `SELECT * FROM mops.markov_attribution((SELECT ${fitSql(order)} FROM (VALUES ${values.join(', ')}) t(path, conv, value, nulls)))`;
}

async function markovSingle(pg, rows, order) {
	try {
		return (await pg.query(markovSingleSql(rows, order))).rows;
	} catch (e) {
		return `error ${e.code}: ${e.message}`;
	}
}

/* remove rows, then touches, while mops and the oracle still differ */
async function minimiseMarkov(pg, rows, order) {
	const differs = async (cand) => {
		if (cand.length === 0)
			return false;
		const got = await markovSingle(pg, cand, order);
		if (typeof got === 'string')
			return true;
		return markovDiff(got, oracle.markov(cand, order).channels, MARKOV_TOL) !== null;
	};
	let current = rows.map((r) => Object.assign({}, r));
	let budget = 3000;	/* queries */
	let changed = true;
	while (changed && budget > 0) {
		changed = false;
		for (let i = 0; i < current.length && budget > 0; i++) {
			const cand = current.slice(0, i).concat(current.slice(i + 1));
			budget--;
			if (await differs(cand)) {
				current = cand;
				changed = true;
				i--;
			}
		}
		for (let i = 0; i < current.length && budget > 0; i++)
			for (let j = 0; j < current[i].chs.length && current[i].chs.length > 1 && budget > 0; j++) {
				const chs = current[i].chs.slice(0, j).concat(current[i].chs.slice(j + 1));
				const cand = current.slice();
				cand[i] = Object.assign({}, current[i], { chs, path: chs.join(' > ') });
				budget--;
				if (await differs(cand)) {
					current = cand;
					changed = true;
					j--;
				}
			}
	}
	return current;
}

/* ------------------------------------------------------------------------
 * attribute: random cases
 * ------------------------------------------------------------------------
 */
const RULE_MODELS = ['first_touch', 'last_touch', 'last_non_direct', 'linear', 'position_based', 'u_shaped',
	'shapley_simplified'];
const VALUES = ['1', '140', '66.5', '0.001', '123456789.123', '0', '66.50', '0.00000000000000000003',
	'99999999999999999999.999', '7', '1000000'];
const HALF_LIVES = [	/* [SQL interval text, microseconds] */
	['7 days', 7 * 86400e6], ['1 day', 86400e6], ['36 hours', 36 * 3600e6], ['90 minutes', 90 * 60e6],
	['1 hour 30 minutes', 90 * 60e6], ['10 seconds', 10e6], ['14 days', 14 * 86400e6], ['0.5 seconds', 0.5e6]];
const T0 = Date.UTC(2026, 0, 1) * 1000;	/* microseconds */

function pad2(n) {
	return String(n).padStart(2, '0');
}

/* microseconds -> 'YYYY-MM-DD HH:MM:SS[.ffffff]+HH[:MM]' at a UTC offset in minutes */
function tsText(us, offsetMin = 0) {
	const local = us + offsetMin * 60e6;
	const sec = Math.floor(local / 1e6);
	const frac = local - sec * 1e6;
	const iso = new Date(sec * 1000).toISOString();
	const sign = offsetMin < 0 ? '-' : '+';
	const off = Math.abs(offsetMin);
	const offText = `${sign}${pad2(Math.floor(off / 60))}${off % 60 ? `:${pad2(off % 60)}` : ''}`;
	return `${iso.slice(0, 10)} ${iso.slice(11, 19)}${frac ? `.${String(frac).padStart(6, '0')}` : ''}${offText}`;
}

function randomValueText(rng) {
	if (rng.chance(0.7))
		return rng.pick(VALUES);
	const scale = rng.int(0, 20);
	const int = String(rng.int(0, 10 ** rng.int(0, 9)));
	let frac = '';
	for (let i = 0; i < scale; i++)
		frac += String(rng.int(0, 9));
	return frac ? `${int}.${frac}` : int;
}

/*
 * A random path for attribute: {touches: [{label, channel, t}], text}.
 * timing: 'none', 'all' or 'mixed'; exact: touch times whole half-lives
 * before the conversion.
 */
function makeAttrCase(rng, id) {
	const r = rng.next();
	let len;
	if (r < 0.05) len = 0;
	else if (r < 0.45) len = rng.int(1, 4);
	else if (r < 0.85) len = rng.int(5, 12);
	else len = rng.int(13, 30);
	const allDirect = rng.chance(0.1);
	const channels = allDirect ? ['direct'] : rng.shuffle(CHANNELS.slice()).slice(0, rng.int(1, 8));
	const repeat = rng.next() * 0.5;
	const tr = rng.next();
	const timing = tr < 0.72 ? 'all' : tr < 0.77 ? 'mixed' : 'none';
	const exact = timing === 'all' && rng.chance(0.3);
	const hl = rng.pick(HALF_LIVES);
	const useHalfLife = rng.chance(0.5) || (exact && hl[1] % 1e6 !== 0);
	const halfLife = useHalfLife ? hl : null;
	const h = halfLife ? halfLife[1] : 7 * 86400e6;
	let convAt = null;
	const touches = [];
	if (exact) {
		/* whole half-lives (at most 20) before the conversion, non-increasing */
		let m = rng.int(0, 20);
		const ms = [];
		for (let i = 0; i < len; i++) {
			ms.push(m);
			if (rng.chance(0.6))
				m = Math.max(0, m - rng.int(1, 3));
		}
		const conv = T0 + rng.int(0, 1000) * 86400e6 + 25 * h;
		const lastM = len ? ms[len - 1] : 0;
		if (lastM > 0 || rng.chance(0.3))
			convAt = conv;
		else
			convAt = null;	/* the last touch is the conversion time (m = 0) */
		for (let i = 0; i < len; i++)
			touches.push({ t: conv - ms[i] * h });
	} else {
		let t = T0 + rng.int(0, 60 * 86400) * 1e6;
		for (let i = 0; i < len; i++) {
			if (i > 0) {
				const s = rng.next();
				if (s < 0.15) t += 0;
				else if (s < 0.3) t += rng.int(1, 999999);
				else if (s < 0.7) t += rng.int(1, 86400) * 1e6;
				else t += rng.int(1, 20 * 86400) * 1e6 + (rng.chance(0.3) ? rng.int(0, 999999) : 0);
			}
			touches.push({ t });
		}
		if (len && rng.chance(0.5))
			convAt = touches[len - 1].t + (rng.chance(0.2) ? 0 : rng.int(1, 30 * 86400) * 1e6);
	}
	let prev = null;
	for (let i = 0; i < len; i++) {
		const channel = i > 0 && rng.chance(repeat) ? prev : rng.pick(channels);
		prev = channel;
		const spellings = SPELLINGS[channel];
		const label = spellings && rng.chance(0.1) ? rng.pick(spellings) : channel;
		touches[i].channel = channel;
		touches[i].label = label;
		if (timing === 'none' || (timing === 'mixed' && rng.chance(0.5)))
			touches[i].t = null;
	}
	if (timing === 'mixed' && len > 0 && touches.every((x) => x.t !== null))
		touches[0].t = null;
	const offset = rng.chance(0.15) ? rng.pick([60, 120, -300, 330, -570]) : 0;
	const text = touches.map((x) => (x.t === null ? x.label : `${x.label}@${tsText(x.t, offset)}`)).join(' > ');
	const timed = len > 0 && touches.every((x) => x.t !== null);
	return {
		id,
		text,
		touches,
		value: rng.chance(0.08) ? null : randomValueText(rng),	/* null: the default, 1 */
		convAt: timed ? convAt : null,
		halfLife: timed ? halfLife : null,
		timed,
		exact,
	};
}

/* the SQL call of one case (c: path text, model, value, conversion_at, half_life) */
function attributeCall(c, model, ref) {
	const args = [`${ref.path}::mops.touch_path`, ref.model];
	if (c.value !== null)
		args.push(ref.value);
	if (model === 'time_decay') {
		if (c.convAt !== null)
			args.push(`conversion_at => ${ref.convAt}`);
		if (c.halfLife !== null)
			args.push(`half_life => ${ref.halfLife}`);
	}
	return `mops.attribute(${args.join(', ')})`;
}

/* the form of a call: which optional arguments it passes */
function callForm(c, model) {
	return [c.value !== null, model === 'time_decay' && c.convAt !== null, model === 'time_decay' && c.halfLife !== null]
		.map((b) => (b ? '1' : '0')).join('');
}

function attributeSingleSql(c, model) {
	return `SELECT touch, channel, credit::text AS credit FROM ${attributeCall(c, model, {
		path: sqlString(c.text),
		model: sqlString(model),
		value: c.value === null ? null : `${sqlString(c.value)}::numeric`,
		convAt: c.convAt === null ? null : `${sqlString(tsText(c.convAt))}::timestamptz`,
		halfLife: c.halfLife === null ? null : `${sqlString(c.halfLife[0])}::interval`,
	})} ORDER BY touch`;
}

/* what the oracle expects for a case: {rows} or {error: sqlstate} */
function attributeExpected(c, model) {
	if (model === 'time_decay' && c.touches.length > 0 && !c.timed)
		return { error: '22023' };
	const rows = oracle.attribute(c.text, model, c.value === null ? '1' : c.value, {
		conversionAt: c.convAt,
		halfLife: c.halfLife === null ? null : c.halfLife[1],
	});
	return { rows };
}

/* null when mops's rows match the oracle's, else what differs */
function attributeDiff(c, model, got) {
	const exp = attributeExpected(c, model);
	const value = c.value === null ? '1' : c.value;
	if (exp.error) {
		if (typeof got === 'string' && got.startsWith(`error ${exp.error}`))
			return null;
		return `expected error ${exp.error}, got ${typeof got === 'string' ? got : JSON.stringify(got)}`;
	}
	if (typeof got === 'string')
		return got;
	const want = exp.rows;
	/*
	 * time_decay: 1e-12 of the value, plus the rounding to S = max(16, scale)
	 * decimals that every credit goes through (10^-S: it matters for values
	 * like 3e-20, whose credits are whole multiples of 1e-20)
	 */
	const decayTol = DECAY_TOL * Math.abs(Number(value)) + 10 ** -Math.max(16, oracle.parseDecimal(value).s);
	if (got.length !== want.length)
		return `${got.length} rows, expected ${want.length}`;
	const out = [];
	for (let i = 0; i < want.length; i++) {
		const g = got[i];
		const w = want[i];
		if (g.touch !== w.touch || g.channel !== w.channel) {
			out.push(`row ${i + 1}: touch ${g.touch} ${JSON.stringify(g.channel)}, expected ${w.touch} ${JSON.stringify(w.channel)}`);
			continue;
		}
		if (model !== 'time_decay') {
			if (g.credit !== w.credit)
				out.push(`touch ${w.touch}: credit ${g.credit}, expected ${w.credit}`);
		} else if (w.creditExact !== undefined) {
			if (g.credit !== w.creditExact)
				out.push(`touch ${w.touch}: credit ${g.credit}, expected exactly ${w.creditExact}`);
		} else if (g.credit === null || !(Math.abs(Number(g.credit) - w.credit) <= decayTol)) {
			out.push(`touch ${w.touch}: credit ${g.credit}, expected ${w.credit} (within ${decayTol})`);
		}
	}
	if (want.length > 0) {
		let sum;
		try {
			sum = oracle.sumDecimals(got.map((g) => g.credit));
		} catch (e) {
			sum = `(not decimals: ${e.message})`;
		}
		if (sum !== oracle.canonicalDecimal(value))
			out.push(`credits sum to ${sum}, not to the value ${value}`);
	}
	return out.length ? out.join('; ') : null;
}

async function attributeSingle(pg, c, model) {
	try {
		return (await pg.query(attributeSingleSql(c, model))).rows;
	} catch (e) {
		return `error ${e.code}: ${e.message}`;
	}
}

/* remove touches while the difference stays */
async function minimiseAttribute(pg, c, model) {
	let current = c;
	let changed = true;
	while (changed) {
		changed = false;
		for (let i = 0; i < current.touches.length; i++) {
			const touches = current.touches.slice(0, i).concat(current.touches.slice(i + 1));
			const cand = Object.assign({}, current, {
				touches,
				text: touches.map((x) => (x.t === null ? x.label : `${x.label}@${tsText(x.t)}`)).join(' > '),
				timed: touches.length > 0 && touches.every((x) => x.t !== null),
			});
			if (cand.convAt === null && cand.timed && current.touches.length === i + 1 && touches.length > 0)
				continue;	/* removing the last touch would move the default conversion time */
			if (attributeDiff(cand, model, await attributeSingle(pg, cand, model)) !== null) {
				current = cand;
				changed = true;
				i--;
			}
		}
	}
	return current;
}

/* 1 and 2: Markov, on channel_paths.csv (cpRows, or null) and the random sets */
async function runMarkov(pg, ctx, sets, cpRows) {
	const haveCsv = cpRows !== null;
	const markovSets = [];	/* {label, table, sets, expected: order -> set id -> channels} */
	if (haveCsv) {
		const cpSet = { id: 0, kind: 'channel_paths', rows: cpRows.map((r, i) => Object.assign({}, r, { rowId: i + 1 })) };
		await createMarkovTable(pg, 'cp', [cpSet]);
		markovSets.push({ label: 'channel_paths', table: 'cp', sets: [cpSet] });
	}
	await createMarkovTable(pg, 'mk', sets);
	markovSets.push({ label: 'random sets', table: 'mk', sets });
	const t0 = Date.now();
	for (const ms of markovSets) {
		ms.expected = new Map();
		for (const order of [1, 2, 3, 4]) {
			const m = new Map();
			for (const s of ms.sets)
				m.set(s.id, oracle.markov(s.rows, order).channels);
			ms.expected.set(order, m);
		}
	}
	{
		const st = sets.map((x) => oracle.fit(x.rows, 4).states.length);
		const kinds = new Set(sets.map((x) => x.kind));
		console.log(`oracle: ${((Date.now() - t0) / 1000).toFixed(1)} s for the Markov answers` + (sets.length ? '; random sets: ' +
			`${Math.min(...sets.map((x) => x.rows.length))}-${Math.max(...sets.map((x) => x.rows.length))} paths, ` +
			`up to ${Math.max(...st)} order-4 states, kinds ${[...kinds].join(',')}` : ''));
	}
	if (haveCsv) {
		/* the oracle against its own file (the numbers of the regression test) */
		const file = path.join(__dirname, 'channel_paths_oracle.txt');
		if (fs.existsSync(file)) {
			let order = 0;
			let bad = 0;
			let n = 0;
			for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
				const o = /^order (\d)$/.exec(line);
				if (o)
					order = Number(o[1]);
				const f = line.split(';');
				if (order && f.length === 4 && f[0] !== 'channel') {
					const c = markovSets[0].expected.get(order).get(0).find((x) => x.channel === f[0]);
					n++;
					if (!c || !close(c.removal_effect, Number(f[1]), 1e-9) || !close(c.conversions, Number(f[2]), 1e-9) ||
						!close(c.value, Number(f[3]), 1e-9))
						bad++;
				}
			}
			ctx.comparisons += n;
			ctx.differences += bad;
			console.log(`${bad || n !== 48 ? 'FAIL' : 'ok'} oracle against channel_paths_oracle.txt: ${n} channels${bad ? `, ${bad} differ` : ''}`);
			if (n !== 48 && !bad)
				ctx.differences++;
		}
	}

	const variants = ['fit', 'default_order', 'merge', 'merge_agg', 'text', 'parallel'];
	for (const ms of markovSets) {
		for (const order of [1, 2, 3, 4]) {
			const fitAnswers = new Map();
			const fitTexts = new Map();
			for (const variant of variants) {
				if (variant === 'default_order' && order !== 1)
					continue;
				let plan = '';
				const t1 = Date.now();
				let answers;
				let texts;
				try {
					if (variant === 'parallel') {
						await pg.query('SET max_parallel_workers_per_gather = 2');
						await pg.query('SET parallel_setup_cost = 0');
						await pg.query('SET parallel_tuple_cost = 0');
						await pg.query('SET min_parallel_table_scan_size = 0');
						plan = (await pg.query(`EXPLAIN (COSTS OFF) ${modelSql(ms.table, order, variant)}`)).rows
							.map((r) => r['QUERY PLAN']).join('\n');
					} else {
						await pg.query('SET max_parallel_workers_per_gather = 0');
					}
					answers = await markovAnswers(pg, ms.table, order, variant);
					texts = new Map((await pg.query(`SELECT set_id, m::text AS t FROM (${modelSql(ms.table, order, variant)}) s`))
						.rows.map((r) => [r.set_id, r.t]));
				} catch (e) {
					ctx.differences++;
					console.log(`FAIL ${ms.label} order=${order} ${variant}: error ${e.code}: ${e.message}`);
					continue;
				} finally {
					if (variant === 'parallel')
						for (const g of ['max_parallel_workers_per_gather', 'parallel_setup_cost', 'parallel_tuple_cost',
							'min_parallel_table_scan_size'])
							await pg.query(`RESET ${g}`);
				}
				const ms1 = Date.now() - t1;
				if (variant === 'fit') {
					answers.forEach((v, k) => fitAnswers.set(k, v));
					texts.forEach((v, k) => fitTexts.set(k, v));
				}
				let diffs = 0;
				let compared = 0;
				for (const s of ms.sets) {
					if (variant === 'merge' && s.rows.length < 2)
						continue;
					compared++;
					ctx.comparisons++;
					const got = answers.get(s.id);
					const want = ms.expected.get(order).get(s.id);
					let d = markovDiff(got, want, MARKOV_TOL, `${ms.label} set #${s.id} order=${order} ${variant}`);
					/* the same data through a different path in mops: (nearly) the same numbers */
					if (!d && variant !== 'fit' && fitAnswers.has(s.id)) {
						const self = markovDiff(got, fitAnswers.get(s.id), SELF_TOL);
						if (self)
							d = `differs from the plain fit beyond ${SELF_TOL}: ${self}`;
					}
					/*
					 * merging gives exactly the model fitted on the union, and the
					 * text form is canonical: the same text as the plain fit's
					 */
					if (!d && variant !== 'fit' && fitTexts.has(s.id) && texts.get(s.id) !== fitTexts.get(s.id))
						d = `the model's text differs from the plain fit's: ${textDiff(texts.get(s.id), fitTexts.get(s.id))}`;
					if (d) {
						diffs++;
						ctx.differences++;
						ctx.show(`DIFFERENCE ${ms.label} set #${s.id} (${s.kind}, ${s.rows.length} paths) order=${order} ${variant}: ${d}`);
						if (variant === 'fit' && s.kind !== 'channel_paths' && ctx.minimised < MINIMISE) {
							ctx.minimised++;
							const small = await minimiseMarkov(pg, s.rows, order);
							const got2 = await markovSingle(pg, small, order);
							const exp2 = oracle.markov(small, order).channels;
							console.log(`  minimised to ${small.length} paths:`);
							console.log(`  ${markovSingleSql(small, order)};`);
							console.log(`  mops:   ${JSON.stringify(got2)}`);
							console.log(`  oracle: ${JSON.stringify(exp2.map((c) => ({ channel: c.channel, removal_effect: c.removal_effect, conversions: c.conversions, value: c.value })))}`);
						}
					}
				}
				const partial = variant === 'parallel' ? (/Partial/.test(plan) ? ', partial aggregation' : ', NO partial aggregation in the plan') : '';
				console.log(`${diffs ? 'FAIL' : 'ok'} ${ms.label} order=${order} ${variant}: ${compared} sets${partial}` +
					`${diffs ? ` differences=${diffs}` : ''}${VERBOSE ? ` (${ms1} ms)` : ''}`);
			}
		}
	}

	/* bad Markov parameters must be rejected */
	{
		const probes = [
			['order 0', `SELECT mops.markov_fit('a > b'::mops.touch_path, 1, 1, 1, 0)`],
			['order 5', `SELECT mops.markov_fit('a > b'::mops.touch_path, 1, 1, 1, 5)`],
			['merging orders 1 and 2', `SELECT mops.markov_merge(
				(SELECT mops.markov_fit('a > b'::mops.touch_path, 1, 1, 1, 1)),
				(SELECT mops.markov_fit('a > b'::mops.touch_path, 1, 1, 1, 2)))::text`],
		];
		let bad = 0;
		const codes = [];
		for (const [what, sql] of probes) {
			ctx.comparisons++;
			try {
				const r = await pg.query(sql);
				bad++;
				ctx.differences++;
				console.log(`DIFFERENCE ${what}: accepted (${JSON.stringify(r.rows[0])}), expected an error`);
			} catch (e) {
				codes.push(`${what}: ${e.code}`);
				/* a data exception (22023, 22003) or a program limit (54000), not a missing function */
				if (!/^(22|54000)/.test(e.code)) {
					bad++;
					ctx.differences++;
					console.log(`DIFFERENCE ${what}: error ${e.code} (${e.message}), expected SQLSTATE class 22 or 54000`);
				}
			}
		}
		console.log(`${bad ? 'FAIL' : 'ok'} bad Markov parameters rejected: ${probes.length - bad}/${probes.length} (${codes.join(', ')})`);
	}

	console.log(`largest difference between mops and the oracle: ${deviation.max.toExponential(2)}` +
		` (relative; absolute below 1) at ${deviation.where || '-'}`);

	/*
	 * What the definitions leave open (README.md, "Ambiguities"): reported,
	 * never counted as differences.
	 */
	{
		const probe = async (what, rows, order = 1) => {
			const got = await markovSingle(pg, rows, order);
			if (typeof got === 'string') {
				ctx.notes.push(`${what}: ${got}`);
				return;
			}
			/* the probed row is the last one */
			const readings = [
				['word for word', oracle.markov(rows, order, { zeroWeight: 'literal' })],
				['counting the row in the totals only', oracle.markov(rows, order, { zeroWeight: 'skip' })],
				['without the row at all', oracle.markov(rows.slice(0, -1), order)],
			].filter(([, m]) => markovDiff(got, m.channels, MARKOV_TOL) === null).map(([n]) => n);
			ctx.notes.push(`${what}: mops ${JSON.stringify(got.map((r) => [r.channel, +r.conversions.toPrecision(6), +r.value.toPrecision(6)]))}` +
				` = the oracle ${readings.length ? readings.join(', ') : 'in none of its readings'}`);
		};
		/* two paths ending in different states (mv_direct = 10, mv_email = 30) */
		const base = [
			{ path: 'email > direct', chs: [], conversions: 2, value: 20, nulls: 3 },
			{ path: 'email', chs: [], conversions: 1, value: 30, nulls: 1 },
		];
		await probe('markov: a row with conversions + nulls = 0 and a channel of its own (tv)',
			base.concat([{ path: 'tv > direct', chs: [], conversions: 0, value: 0, nulls: 0 }]));
		await probe('markov: a row with conversions + nulls = 0 and value 100, ending in direct',
			base.concat([{ path: 'direct', chs: [], conversions: 0, value: 100, nulls: 0 }]));
		await probe('markov: an empty path with 5 conversions and value 50',
			base.concat([{ path: '', chs: [], conversions: 5, value: 50, nulls: 0 }]));
	}
}

/* 3: attribute */
async function runAttribute(pg, ctx, cases) {
	await pg.query(`CREATE TABLE ac (id integer NOT NULL, model text NOT NULL, form text NOT NULL, path text NOT NULL,
		value numeric, conv_at timestamptz, half_life interval)`);
	const runs = [];	/* {c, model} */
	const errorRuns = [];
	for (const c of cases)
		for (const model of RULE_MODELS.concat(['time_decay'])) {
			if (model === 'time_decay' && c.touches.length > 0 && !c.timed)
				errorRuns.push({ c, model });
			else
				runs.push({ c, model });
		}
	/* fixed cases: the published examples and edge cases */
	const fixed = [
		{ text: 'direct > organic_search > direct', value: '140', models: ['linear', 'position_based', 'u_shaped'] },
		{ text: 'display_other > organic_search', value: '66.5', models: ['linear', 'position_based'] },
		{ text: 'a@2026-01-01 00:00:00+00 > b@2026-01-08 00:00:00+00 > c@2026-01-15 00:00:00+00', value: null, models: ['time_decay'] },
		{ text: 'a@2026-01-01 00:00:00+00 > b@2026-01-08 00:00:00+00 > c@2026-01-15 00:00:00+00', value: '7', models: ['time_decay'] },
		/* 3000 and 2999 days before the conversion, half-life 1 day: 2^-3000 underflows a double */
		{ text: 'a@2026-01-01 00:00:00+00 > b@2026-01-02 00:00:00+00', value: '3', convAt: '2034-03-20 00:00:00+00',
			halfLife: ['1 day', 86400e6], models: ['time_decay'] },
		{ text: 'direct > direct > direct', value: '10', models: ['last_non_direct', 'shapley_simplified'] },
		{ text: 'Direct > EMAIL > direct', value: '10', models: ['last_non_direct', 'first_touch'] },
		{ text: '', value: '10', models: RULE_MODELS.concat(['time_decay']) },
	];
	for (const f of fixed) {
		const touches = oracle.parsePath(f.text).map((t, i) => ({ channel: t.channel, label: f.text.split('>')[i].split('@')[0].trim(), t: t.t }));
		const c = {
			id: cases.length + 1, text: f.text, touches, value: f.value,
			convAt: f.convAt ? oracle.parseTimestamp(f.convAt) : null, halfLife: f.halfLife || null,
			timed: touches.length > 0 && touches.every((x) => x.t !== null), exact: false, fixed: true,
		};
		cases.push(c);
		for (const model of f.models)
			runs.push({ c, model });
	}
	const tableRows = runs.map(({ c, model }, i) => [i, model, callForm(c, model), c.text, c.value,
		c.convAt === null || model !== 'time_decay' ? null : tsText(c.convAt),
		c.halfLife === null || model !== 'time_decay' ? null : c.halfLife[0]]);
	for (let i = 0; i < tableRows.length; i += 20000) {
		const chunk = tableRows.slice(i, i + 20000);
		await pg.query(`INSERT INTO ac SELECT * FROM unnest($1::int[], $2::text[], $3::text[], $4::text[],
			$5::numeric[], $6::timestamptz[], $7::interval[])`, [0, 1, 2, 3, 4, 5, 6].map((k) => chunk.map((r) => r[k])));
	}
	const got = new Map();	/* run index -> rows or an error string */
	const forms = [...new Set(tableRows.map((r) => r[2]))].sort();
	for (const form of forms) {
		const sample = runs.find(({ c, model }) => callForm(c, model) === form);
		const call = attributeCall(sample.c, sample.model, {
			path: 'c.path', model: 'c.model', value: 'c.value', convAt: 'c.conv_at', halfLife: 'c.half_life',
		});
		const sql = `SELECT c.id, a.touch, a.channel, a.credit::text AS credit FROM ac c CROSS JOIN LATERAL ${call} a
			WHERE c.form = '${form}' ORDER BY c.id, a.touch`;
		try {
			const ids = new Set(tableRows.filter((r) => r[2] === form).map((r) => r[0]));
			for (const id of ids)
				got.set(id, []);
			for (const r of (await pg.query(sql)).rows)
				got.get(r.id).push({ touch: r.touch, channel: r.channel, credit: r.credit });
		} catch (e) {
			/* one call failed: take this form's calls one by one */
			console.log(`note: the batch of calls ${call} failed (${e.code}: ${e.message}); calling one at a time`);
			for (const [i, run] of runs.entries())
				if (callForm(run.c, run.model) === form)
					got.set(i, await attributeSingle(pg, run.c, run.model));
		}
	}
	const perModel = new Map();
	let exactDecay = 0;
	for (const [i, { c, model }] of runs.entries()) {
		const label = model;
		if (!perModel.has(label))
			perModel.set(label, { cases: 0, diffs: 0 });
		const st = perModel.get(label);
		st.cases++;
		ctx.comparisons++;
		if (model === 'time_decay' && attributeExpected(c, model).rows.some((r) => r.creditExact !== undefined))
			exactDecay++;
		const d = attributeDiff(c, model, got.get(i));
		if (d) {
			st.diffs++;
			ctx.differences++;
			ctx.show(`DIFFERENCE attribute #${c.id} ${model}: ${d}`);
			if (ctx.shown <= SHOW) {
				console.log(`  ${attributeSingleSql(c, model)};`);
				if (ctx.minimised < MINIMISE && c.touches.length > 1) {
					ctx.minimised++;
					const small = await minimiseAttribute(pg, c, model);
					console.log(`  minimised to ${small.touches.length} touches: ${attributeDiff(small, model, await attributeSingle(pg, small, model))}`);
					console.log(`  ${attributeSingleSql(small, model)};`);
				}
			}
		}
	}
	/* time_decay without a timestamp on every touch: 22023 */
	for (const { c, model } of errorRuns.slice(0, 25)) {
		const st = perModel.get(model);
		st.cases++;
		ctx.comparisons++;
		const d = attributeDiff(c, model, await attributeSingle(pg, c, model));
		if (d) {
			st.diffs++;
			ctx.differences++;
			ctx.show(`DIFFERENCE attribute #${c.id} ${model} (touches without a timestamp): ${d}`);
			if (ctx.shown <= SHOW)
				console.log(`  ${attributeSingleSql(c, model)};`);
		}
	}
	for (const [model, st] of perModel)
		console.log(`${st.diffs ? 'FAIL' : 'ok'} attribute model=${model}: ${st.cases} paths` +
			`${model === 'time_decay' ? ` (${exactDecay} compared exactly, ${Math.min(25, errorRuns.length)} expected to fail 22023)` : ''}` +
			`${st.diffs ? ` differences=${st.diffs}` : ''}`);
	{
		ctx.comparisons++;
		try {
			await pg.query(`SELECT * FROM mops.attribute('a > b', 'bogus')`);
			ctx.differences++;
			console.log(`FAIL attribute: unknown model accepted, expected 22023`);
		} catch (e) {
			if (e.code !== '22023') {
				ctx.differences++;
				console.log(`FAIL attribute: unknown model gave ${e.code} (${e.message}), expected 22023`);
			} else {
				console.log('ok attribute: unknown model rejected (22023)');
			}
		}
	}
	/* open questions, reported only */
	for (const [what, sql] of [
		['attribute: value -140, position_based over 3 touches', `SELECT string_agg(credit::text, ', ' ORDER BY touch) FROM mops.attribute('a > b > c', 'position_based', -140)`],
		['attribute: time_decay with conversion_at before the last touch', `SELECT string_agg(credit::text, ', ' ORDER BY touch) FROM mops.attribute('a@2026-01-01 00:00:00+00 > b@2026-01-15 00:00:00+00', 'time_decay', 1, '2026-01-08 00:00:00+00')`],
	]) {
		try {
			ctx.notes.push(`${what}: ${(await pg.query(sql)).rows[0].string_agg}`);
		} catch (e) {
			ctx.notes.push(`${what}: error ${e.code}: ${e.message}`);
		}
	}
}

/* ------------------------------------------------------------------------
 * Main
 * ------------------------------------------------------------------------
 */
async function connectAdmin() {
	const admin = new Client({ database: process.env.PGDATABASE || 'postgres' });
	await admin.connect();
	await admin.query('SET client_min_messages = warning');
	await admin.query(`DROP DATABASE IF EXISTS ${DBNAME}`);
	await admin.query(`CREATE DATABASE ${DBNAME}`);
	return admin;
}

async function main() {
	const started = Date.now();
	const rng = makeRng(SEED);
	const sets = [];
	for (let i = 0; i < SETS; i++)
		sets.push(makeSet(rng, i + 1));
	const cases = [];
	for (let i = 0; i < PATHS; i++)
		cases.push(makeAttrCase(rng, i + 1));
	/* the data set is part of the repository: its absence is a failure, not a skip */
	if (!fs.existsSync(CSV))
		throw new Error(`channel_paths data set not found: ${CSV}`);
	const haveCsv = true;
	const cpRows = oracle.readChannelPaths(CSV);
	console.log(`seed=${SEED} path sets=${SETS} (${sets.reduce((a, s) => a + s.rows.length, 0)} paths)` +
		` attribute paths=${PATHS} channel_paths=${haveCsv ? `${cpRows.length} paths` : 'not found, skipped'}`);

	const admin = await connectAdmin();
	const pg = new Client({ database: DBNAME });
	await pg.connect();
	await pg.query('SET client_min_messages = warning');
	await pg.query('CREATE EXTENSION IF NOT EXISTS mops');
	await pg.query(`SET TimeZone = 'UTC'`);
	await pg.query('SET extra_float_digits = 3');

	let errors = 0;
	const ctx = {
		comparisons: 0,
		differences: 0,
		shown: 0,		/* differences printed */
		minimised: 0,	/* differences minimised */
		notes: [],		/* what mops does where the definitions are open */
		show(line) {
			if (this.shown++ < SHOW)
				console.log(line);
		},
	};

	try {
		if (PARTS.includes('markov'))
			await runMarkov(pg, ctx, sets, haveCsv ? cpRows : null);
		if (PARTS.includes('attribute'))
			await runAttribute(pg, ctx, cases);
	} catch (e) {
		errors++;
		console.log(`ERROR: ${e.stack || e}`);
	} finally {
		await pg.end();
		if (!KEEP_DB && errors === 0 && ctx.differences === 0)
			await admin.query(`DROP DATABASE IF EXISTS ${DBNAME}`);
		await admin.end();
	}

	for (const n of ctx.notes)
		console.log(`note (open in the definitions, not compared): ${n}`);
	console.log(`time: ${((Date.now() - started) / 1000).toFixed(1)} s`);
	console.log(`differential attribution: ${ctx.comparisons} comparisons, ${ctx.differences} differences` +
		(errors ? `, ${errors} errors` : ''));
	if (ctx.differences || errors)
		console.log(`reproduce with: MOPS_DIFF_SEED=${SEED} MOPS_DIFF_SETS=${SETS} MOPS_DIFF_PATHS=${PATHS}` +
			` node test/differential/attribution.js`);
	process.exitCode = ctx.differences || errors ? 1 : 0;
}

main().catch((e) => {
	console.log(`ERROR: ${e.stack || e}`);
	process.exitCode = 2;
});
