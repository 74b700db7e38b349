#!/usr/bin/env node
/*
 * window_funnel.js - differential test of mops.window_funnel and
 * mops.retention against ClickHouse's windowFunnel and retention (chdb, the
 * embedded ClickHouse engine).
 *
 * Random event sets are generated from a seed (MOPS_DIFF_SEED, default 1) for
 * MOPS_DIFF_USERS users (default 2000), loaded into PostgreSQL (a database
 * mops_differential, recreated, on the server given by PGHOST / PGPORT /
 * PGUSER / PGDATABASE) and into a chdb session, and every user's funnel level
 * is computed on both sides for every mode combination ClickHouse accepts.
 * Any difference is printed with the user's events, both answers and a
 * minimised event set; the script then exits non-zero.
 *
 * See README.md in this directory.
 */
'use strict';

const path = require('path');
const { intEnv, makeRng } = require(path.join(__dirname, 'lib', 'common.js'));
const fs = require('fs');
const { execSync } = require('child_process');

const nodeDir = path.join(__dirname, '..', 'node');
const modulesDir = path.join(nodeDir, 'node_modules');
if (!fs.existsSync(path.join(modulesDir, 'chdb')) || !fs.existsSync(path.join(modulesDir, 'pg'))) {
	console.log('installing chdb and pg (npm install --no-save in test/node)');
	execSync('npm install --no-save --no-audit --no-fund', { cwd: nodeDir, stdio: 'inherit' });
}
const { Session } = require(path.join(modulesDir, 'chdb'));
const { Client } = require(path.join(modulesDir, 'pg'));

/* ------------------------------------------------------------------------
 * Parameters
 * ------------------------------------------------------------------------
 */
const SEED = process.env.MOPS_DIFF_SEED || '1';
const USERS = intEnv('MOPS_DIFF_USERS', 2000);
const CONFIGS = intEnv('MOPS_DIFF_CONFIGS', 40);		/* funnel definitions */
const MINIMISE = intEnv('MOPS_DIFF_MINIMISE', 3);		/* differences minimised */
const SHOW = intEnv('MOPS_DIFF_SHOW', 10);				/* differences printed */
const DBNAME = process.env.MOPS_DIFF_DB || 'mops_differential';
if (!/^[a-z_][a-z0-9_]*$/.test(DBNAME))
	throw new Error(`MOPS_DIFF_DB must be a lower-case identifier, not "${DBNAME}"`);
const KEEP_DB = process.env.MOPS_DIFF_KEEP === '1';
const VERBOSE = process.env.MOPS_DIFF_VERBOSE === '1';
const CH_MAX_STEPS = 32;	/* ClickHouse's limit (mops allows 64) */

/* ------------------------------------------------------------------------
 * Modes
 * ------------------------------------------------------------------------
 */
const MODE_NAMES = ['strict_deduplication', 'strict_order', 'strict_increase', 'strict_once', 'allow_reentry'];

/* every subset, in a fixed order; allow_reentry needs strict_order */
function modeCombinations() {
	const valid = [];
	const invalid = [];
	for (let bits = 0; bits < 32; bits++) {
		const modes = MODE_NAMES.filter((_, i) => bits & (1 << i));
		if (modes.includes('allow_reentry') && !modes.includes('strict_order'))
			invalid.push(modes);
		else
			valid.push(modes);
	}
	return { valid, invalid };
}

/* ------------------------------------------------------------------------
 * Data generation
 * ------------------------------------------------------------------------
 */
const LETTERS = ['A', 'B', 'C', 'D', 'E', 'F'];	/* used by conditions */
const NOISE = ['X', 'Y'];						/* never named by a condition */
const SEC = 1000000;							/* timestamps are microseconds */

/* A step condition: the same SQL text works in PostgreSQL and ClickHouse. */
function makeCondition(rng, previous, letters = LETTERS) {
	const r = rng.next();
	if (previous.length > 0 && r < 0.06)
		return rng.pick(previous);		/* a repeated step (A -> B -> A) */
	if (r < 0.58) {
		const x = rng.pick(letters);
		return { sql: `e = '${x}'`, test: (ev) => ev.e === x };
	}
	if (r < 0.78) {
		const set = rng.shuffle(letters.slice()).slice(0, rng.int(2, Math.min(3, letters.length))).sort();
		return {
			sql: `e IN (${set.map((x) => `'${x}'`).join(', ')})`,
			test: (ev) => set.includes(ev.e),
		};
	}
	if (r < 0.88) {
		const x = rng.pick(letters);
		const k = rng.int(2, 8);
		return { sql: `(e = '${x}' AND p < ${k})`, test: (ev) => ev.e === x && ev.p < k };
	}
	if (r < 0.94) {
		const k = rng.int(5, 9);
		return { sql: `p >= ${k}`, test: (ev) => ev.p >= k };
	}
	const x = rng.pick(letters);
	return { sql: `e <> '${x}'`, test: (ev) => ev.e !== x };
}

const SECOND_WINDOWS = [0, 0, 1, 1, 2, 3, 5, 10, 30, 60, 120, 300, 3600, 86400, 2592000,
	604800, 100000000, 4294967296];
const MICRO_WINDOWS = [0, 1, 999, 999999, 1000000, 1000001, 2500000, 60000000, 3600000000,
	1000000000000];

function makeConfig(rng, id) {
	/* a few long funnels (up to ClickHouse's 32 steps), the rest 1..6 steps */
	const longSteps = [32, 24, 16, 12, 9];
	const long = id < longSteps.length;
	const nsteps = long ? longSteps[id] : rng.pick([1, 2, 2, 3, 3, 3, 4, 4, 5, 6]);
	const unit = rng.chance(0.15) ? 'us' : 's';
	let window = unit === 'us' ? rng.pick(MICRO_WINDOWS) : rng.pick(SECOND_WINDOWS);
	if (long && (id === 0 || rng.chance(0.7)))	/* long funnels mostly get room to be completed */
		window = unit === 'us' ? rng.pick(MICRO_WINDOWS.slice(-3)) : rng.pick(SECOND_WINDOWS.slice(-6));
	/* a small alphabet makes rows match several steps, and steps repeat */
	const letters = LETTERS.slice(0, long ? 6 : rng.pick([2, 3, 6, 6]));
	const conds = [];
	for (let i = 0; i < nsteps; i++)
		conds.push(makeCondition(rng, conds, letters));
	return {
		id,
		nsteps,
		unit,
		window,
		/*
		 * Some rows have a NULL timestamp; ClickHouse then needs a Nullable
		 * column, and its Null combinator takes at most 8 arguments.
		 */
		nullTs: nsteps <= 7 && rng.chance(0.2),
		conds,
		/* how mops gets the window, and how the mode list is written */
		windowSql: windowSql(rng, unit, window),
		modeSep: rng.pick([',', ', ', ' , ']),
		modeOrder: rng.shuffle(MODE_NAMES.slice()),
		long,
		events: letters.concat(NOISE),
		users: [],
	};
}

function windowSql(rng, unit, w) {
	if (unit === 'us')
		return `interval '${w} microseconds'`;
	const forms = [`interval '${w} seconds'`, `make_interval(secs => ${w})`];
	if (w > 0 && w % 2592000 === 0)
		forms.push(`interval '${w / 2592000} mons'`);		/* mops: a month is 30 days */
	if (w > 0 && w % 86400 === 0)
		forms.push(`interval '${w / 86400} days'`);
	if (w > 0 && w % 3600 === 0)
		forms.push(`interval '${w / 3600} hours'`);
	return rng.pick(forms);
}

/* An event satisfying cond (rejection sampling); null if none was found. */
function eventFor(rng, cfg, cond) {
	for (let tries = 0; tries < 60; tries++) {
		const ev = { e: rng.pick(cfg.events), p: rng.int(0, 9) };
		if (cond.test(ev))
			return ev;
	}
	return null;
}

function timeStep(rng, unit) {
	const r = rng.next();
	if (unit === 'us') {
		if (r < 0.3) return 0;
		if (r < 0.5) return rng.int(1, 999);
		if (r < 0.65) return SEC;
		if (r < 0.8) return rng.int(1, 3 * SEC);
		if (r < 0.95) return rng.int(1, 120 * SEC);
		return rng.int(1, 7200) * SEC;
	}
	let s;
	if (r < 0.35) s = 0;
	else if (r < 0.5) s = 1;
	else if (r < 0.65) s = rng.int(2, 5);
	else if (r < 0.8) s = rng.int(6, 60);
	else if (r < 0.9) s = rng.int(61, 3600);
	else if (r < 0.96) s = rng.int(3601, 86400);
	else s = rng.int(86401, 40 * 86400);
	return s * SEC;
}

/*
 * An upper bound of the partial chains strict_once keeps for these events
 * (ignoring the window, the modes and the rule that a row serves once in a
 * chain): chains[k] counts the ways to take steps 1..k+1 in time order.
 */
const CHAIN_BUDGET = 100000;
let trimmed = 0;	/* events dropped to stay within the budget */

function chainBound(cfg, events) {
	const pairs = [];
	for (const ev of events)
		if (ev.us !== null)
			cfg.conds.forEach((c, k) => { if (c.test(ev)) pairs.push([ev.us, k]); });
	pairs.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
	const chains = new Array(cfg.nsteps).fill(0);
	let total = 0;
	for (const [, k] of pairs) {
		const added = k === 0 ? 1 : chains[k - 1];
		chains[k] += added;
		total += added;
	}
	return total;
}

/* The events of one user: some follow the funnel (with repeats, skips and restarts), some are noise. */
function makeEvents(rng, cfg) {
	/* how many events, and how closely this user follows the funnel */
	const n = cfg.long && rng.chance(0.7) ? rng.int(cfg.nsteps - 4, 40) : rng.int(0, 40);
	const follow = cfg.long ? 0.8 + 0.2 * rng.next() : rng.next();
	let t = (1600000000 + rng.int(0, 200000000)) * SEC + (cfg.unit === 'us' ? rng.int(0, SEC - 1) : 0);
	let step = 0;
	const events = [];
	for (let j = 0; j < n; j++) {
		let ev = null;
		if (rng.chance(follow)) {
			const r = rng.next() / (cfg.long ? 0.3 : 1);	/* long funnels: fewer detours */
			let target = step;
			if (r < 0.12) target = step - 1;			/* repeat a step */
			else if (r < 0.2) target = step + 1;	/* skip one */
			else if (r < 0.27) target = 0;			/* start again */
			target = Math.max(0, Math.min(cfg.nsteps - 1, target));
			ev = eventFor(rng, cfg, cfg.conds[target]);
			if (ev)
				step = Math.min(cfg.nsteps - 1, target + 1);
		}
		if (!ev)
			ev = { e: rng.pick(cfg.events), p: rng.int(0, 9) };
		if (j > 0)
			t += timeStep(rng, cfg.unit);
		ev.us = cfg.nullTs && rng.chance(0.08) ? null : t;
		events.push(ev);
	}
	/* keep strict_once's partial chains (both sides keep every one) affordable */
	while (chainBound(cfg, events) > CHAIN_BUDGET) {
		events.splice(rng.int(0, events.length - 1), 1);
		trimmed++;
	}
	/* arrival order: in time order, reversed, or shuffled */
	const r = rng.next();
	if (r < 0.5)
		rng.shuffle(events);
	else if (r < 0.6)
		events.reverse();
	events.forEach((ev, i) => { ev.seq = i + 1; });
	return events;
}

function generate(seed, nusers, nconfigs) {
	const rng = makeRng(seed);
	const configs = [];
	for (let i = 0; i < nconfigs; i++)
		configs.push(makeConfig(rng, i));
	const retentionLists = [2, 3, 6, 32].map((n) => {
		const conds = [];
		for (let i = 0; i < n; i++)
			conds.push(makeCondition(rng, conds));
		return conds;
	});
	const users = [];
	for (let uid = 1; uid <= nusers; uid++) {
		/* the long funnels get a few users each, the others share the rest */
		const cfg = uid <= 5 * Math.min(5, nconfigs) && nconfigs > 0 ?
			configs[(uid - 1) % Math.min(5, nconfigs)] :
			configs[rng.int(0, nconfigs - 1)];
		const user = { uid, cfg, events: makeEvents(rng, cfg) };
		cfg.users.push(user);
		users.push(user);
	}
	return { configs, users, retentionLists };
}

/* ------------------------------------------------------------------------
 * SQL text
 * ------------------------------------------------------------------------
 */
function pgTimestamp(us) {
	if (us === null)
		return null;
	const sec = Math.floor(us / SEC);
	const frac = us - sec * SEC;
	const iso = new Date(sec * 1000).toISOString();	/* 2020-09-13T12:26:40.000Z */
	return `${iso.slice(0, 10)} ${iso.slice(11, 19)}.${String(frac).padStart(6, '0')}+00`;
}

function chTsExpr(cfg) {
	const col = cfg.unit === 'us' ? 'tsu' : 'ts';
	return cfg.nullTs ? col : `assumeNotNull(${col})`;
}

/* mops: window_funnel(window, [mode,] ts, steps...) */
function pgFunnel(cfg, modes, { emptyMode = false, orderBy = '' } = {}) {
	const conds = cfg.conds.map((c) => c.sql).join(', ');
	let mode = '';
	if (modes.length > 0)
		mode = `'${cfg.modeOrder.filter((m) => modes.includes(m)).join(cfg.modeSep)}', `;
	else if (emptyMode)
		mode = `'', `;
	return `mops.window_funnel(${cfg.windowSql}, ${mode}ts, ${conds}${orderBy})`;
}

/* ClickHouse: windowFunnel(window, 'mode', ...)(ts, cond...) */
function chFunnel(cfg, modes) {
	const params = [String(cfg.window)].concat(
		cfg.modeOrder.filter((m) => modes.includes(m)).map((m) => `'${m}'`));
	return `windowFunnel(${params.join(', ')})(${chTsExpr(cfg)}, ${cfg.conds.map((c) => c.sql).join(', ')})`;
}

function modeLabel(modes) {
	return modes.length ? modes.join(',') : '(none)';
}

/* ------------------------------------------------------------------------
 * Loading
 * ------------------------------------------------------------------------
 */
async function loadPg(pg, data) {
	await pg.query(`CREATE TABLE users (uid integer PRIMARY KEY, cfg integer NOT NULL)`);
	await pg.query(`CREATE TABLE ev (uid integer NOT NULL, seq integer NOT NULL, ts timestamptz,
		e text NOT NULL, p integer NOT NULL)`);
	await pg.query(`INSERT INTO users SELECT * FROM unnest($1::int[], $2::int[])`,
		[data.users.map((u) => u.uid), data.users.map((u) => u.cfg.id)]);
	const rows = [];
	for (const u of data.users)
		for (const ev of u.events)
			rows.push([u.uid, ev.seq, pgTimestamp(ev.us), ev.e, ev.p]);
	for (let i = 0; i < rows.length; i += 20000) {
		const chunk = rows.slice(i, i + 20000);
		await pg.query(`INSERT INTO ev SELECT * FROM unnest($1::int[], $2::int[], $3::timestamptz[], $4::text[], $5::int[])`,
			[0, 1, 2, 3, 4].map((k) => chunk.map((r) => r[k])));
	}
	await pg.query(`CREATE INDEX ON ev (uid, seq)`);
	await pg.query(`ANALYZE users, ev`);
	return rows.length;
}

function chValues(events) {
	return events.map((ev) => {
		const ts = ev.us === null ? 'NULL' : String(Math.floor(ev.us / SEC));
		const tsu = ev.us === null ? 'NULL' : String(ev.us);
		return `(${ev.seq}, ${ts}, ${tsu}, '${ev.e}', ${ev.p})`;
	}).join(', ');
}

function loadCh(ch, data) {
	ch.query(`CREATE TABLE ev (uid UInt32, seq UInt32, cfg UInt16, ts Nullable(DateTime), tsu Nullable(UInt64),
		e String, p UInt8) ENGINE = Memory`);
	const tuples = [];
	for (const u of data.users)
		for (const ev of u.events) {
			const ts = ev.us === null ? 'NULL' : String(Math.floor(ev.us / SEC));
			const tsu = ev.us === null ? 'NULL' : String(ev.us);
			tuples.push(`(${u.uid}, ${ev.seq}, ${u.cfg.id}, ${ts}, ${tsu}, '${ev.e}', ${ev.p})`);
		}
	/* one block, in arrival order */
	if (tuples.length)
		ch.query(`INSERT INTO ev VALUES ${tuples.join(', ')}`);
}

function chRows(ch, sql) {
	const out = ch.query(sql, 'JSONEachRow');
	return out.split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l));
}

/* ------------------------------------------------------------------------
 * Single event sets (for the minimiser and the error checks)
 * ------------------------------------------------------------------------
 */
function pgValuesSql(events) {
	if (events.length === 0)
		return `(SELECT 1 AS seq, NULL::timestamptz AS ts, 'X'::text AS e, 0 AS p WHERE false) v`;
	return `(VALUES ${events.map((ev) =>
		`(${ev.seq}, ${ev.us === null ? 'NULL::timestamptz' : `'${pgTimestamp(ev.us)}'::timestamptz`}, '${ev.e}', ${ev.p})`
	).join(', ')}) v(seq, ts, e, p)`;
}

function pgSingleSql(cfg, modes, events) {
	return `SELECT ${pgFunnel(cfg, modes, { orderBy: ' ORDER BY seq' })} AS level FROM ${pgValuesSql(events)}`;
}

function chSingleSql(cfg, modes, events) {
	const schema = `'seq UInt32, ts Nullable(DateTime), tsu Nullable(UInt64), e String, p UInt8'`;
	const from = events.length ?
		`values(${schema}, ${chValues(events)})` :
		`(SELECT * FROM values(${schema}, (0, NULL, NULL, 'X', 0)) WHERE 0)`;
	return `SELECT ${chFunnel(cfg, modes)} AS level FROM ${from} SETTINGS max_threads = 1`;
}

async function evalSingle(pg, ch, cfg, modes, events) {
	let mops, click;
	try {
		mops = (await pg.query(pgSingleSql(cfg, modes, events))).rows[0].level;
	} catch (e) {
		mops = `error ${e.code}: ${e.message}`;
	}
	try {
		click = chRows(ch, chSingleSql(cfg, modes, events))[0].level;
	} catch (e) {
		click = `error: ${firstLine(e.message)}`;
	}
	return { mops, click };
}

/* Are mops's and ClickHouse's answers for one event set different? */
function differs(mops, click, events) {
	if (click === null)	/* ClickHouse's Nullable result: no row with a timestamp */
		return !(mops === 0 && events.every((ev) => ev.us === null));
	return mops !== click;
}

/* Remove events one at a time for as long as the difference stays. */
async function minimise(pg, ch, cfg, modes, events) {
	let current = events.slice();
	let changed = true;
	while (changed) {
		changed = false;
		for (let i = 0; i < current.length; i++) {
			const candidate = current.slice(0, i).concat(current.slice(i + 1));
			const r = await evalSingle(pg, ch, cfg, modes, candidate);
			if (typeof r.mops === 'number' && typeof r.click !== 'string' && differs(r.mops, r.click, candidate)) {
				current = candidate;
				changed = true;
				i--;
			}
		}
	}
	/* renumber arrival order */
	return current.map((ev, i) => Object.assign({}, ev, { seq: i + 1 }));
}

function describeEvents(cfg, events) {
	if (events.length === 0)
		return ['    (no events)'];
	const known = events.filter((ev) => ev.us !== null).map((ev) => ev.us);
	const base = known.length ? Math.min(...known) : 0;
	const sorted = events.slice().sort((a, b) =>
		(a.us === null) - (b.us === null) || (a.us || 0) - (b.us || 0) || a.seq - b.seq);
	return sorted.map((ev) => {
		const steps = cfg.conds.map((c, i) => (c.test(ev) ? i + 1 : 0)).filter((s) => s > 0);
		let t;
		if (ev.us === null)
			t = 'NULL';
		else if (cfg.unit === 'us')
			t = `+${ev.us - base}us`;
		else
			t = `+${(ev.us - base) / SEC}s`;
		return `    seq=${ev.seq} t=${t}${ev.us === null ? '' : ` (${pgTimestamp(ev.us)})`} e=${ev.e} p=${ev.p} steps=[${steps.join(',')}]`;
	});
}

function describeConfig(cfg) {
	return [
		`  funnel #${cfg.id}: ${cfg.nsteps} steps, window ${cfg.window}${cfg.unit === 'us' ? ' us' : ' s'} (mops: ${cfg.windowSql}), ` +
		`ClickHouse timestamp ${cfg.unit === 'us' ? 'UInt64 microseconds' : 'DateTime'}${cfg.nullTs ? ', Nullable' : ''}`,
		...cfg.conds.map((c, i) => `    step ${i + 1}: ${c.sql}`),
	];
}

function firstLine(s) {
	return String(s).split('\n')[0].slice(0, 300);
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
	const { valid: modeSets, invalid: invalidModeSets } = modeCombinations();
	const data = generate(SEED, USERS, Math.max(1, CONFIGS));
	const nevents = data.users.reduce((s, u) => s + u.events.length, 0);
	console.log(`seed=${SEED} users=${USERS} funnels=${data.configs.length} events=${nevents}` +
		` (${trimmed} dropped to bound strict_once's partial chains)`);

	const admin = await connectAdmin();
	const pg = new Client({ database: DBNAME });
	await pg.connect();
	await pg.query('SET client_min_messages = warning');
	await pg.query('CREATE EXTENSION IF NOT EXISTS mops');
	await pg.query(`SET TimeZone = 'UTC'`);
	const ch = new Session();	/* a temporary directory, removed by cleanup() */
	for (const signal of ['SIGINT', 'SIGTERM'])
		process.on(signal, () => {
			ch.cleanup();
			process.exit(130);
		});

	let comparisons = 0;
	let differences = 0;
	let errors = 0;
	let shown = 0;
	let minimised = 0;
	const perMode = new Map(modeSets.map((m) => [modeLabel(m), { users: 0, diffs: 0 }]));
	const levels = new Map();	/* level -> how often ClickHouse answered it */
	let longest = { level: 0, nsteps: 0 };

	try {
		await loadPg(pg, data);
		loadCh(ch, data);
		console.log(`loaded ${nevents} rows into PostgreSQL and ClickHouse (${((Date.now() - started) / 1000).toFixed(1)} s)`);

		const report = async (what, cfg, modes, user, mops, click, againstClickHouse = true) => {
			differences++;
			if (shown >= SHOW)
				return;
			shown++;
			console.log(`DIFFERENCE ${what} mode=${modeLabel(modes)} uid=${user.uid}: mops=${JSON.stringify(mops)} clickhouse=${JSON.stringify(click)}`);
			describeConfig(cfg).forEach((l) => console.log(l));
			console.log(`  events (${user.events.length}, by time; seq = arrival order):`);
			describeEvents(cfg, user.events).forEach((l) => console.log(l));
			if (againstClickHouse && minimised < MINIMISE) {
				minimised++;
				const small = await minimise(pg, ch, cfg, modes, user.events);
				const r = await evalSingle(pg, ch, cfg, modes, small);
				console.log(`  minimised to ${small.length} events: mops=${JSON.stringify(r.mops)} clickhouse=${JSON.stringify(r.click)}`);
				describeEvents(cfg, small).forEach((l) => console.log(l));
				console.log(`  PostgreSQL: ${pgSingleSql(cfg, modes, small)};`);
				console.log(`  ClickHouse: ${chSingleSql(cfg, modes, small)};`);
			}
		};

		/* 1. window_funnel, every valid mode combination, sequential and ordered */
		const answers = new Map();	/* cfg id -> uid -> ClickHouse answers */
		for (const cfg of data.configs) {
			if (cfg.users.length === 0)
				continue;
			const chSql = `SELECT uid, countIf(${cfg.unit === 'us' ? 'tsu' : 'ts'} IS NOT NULL) AS nn, ` +
				modeSets.map((m, i) => `${chFunnel(cfg, m)} AS f${i}`).join(', ') +
				` FROM ev WHERE cfg = ${cfg.id} GROUP BY uid ORDER BY uid SETTINGS max_threads = 1`;
			const t0 = Date.now();
			const chByUid = new Map(chRows(ch, chSql).map((r) => [Number(r.uid), r]));
			answers.set(cfg.id, chByUid);
			const t1 = Date.now();

			/* users without events come from users LEFT JOIN ev: an empty group in mops */
			const pgSql = `SELECT uid, ` +
				modeSets.map((m, i) => `${pgFunnel(cfg, m)} AS f${i}`).join(', ') +
				`, ${pgFunnel(cfg, [], { emptyMode: true })} AS fempty` +
				` FROM (SELECT u.uid, ev.seq, ev.ts, ev.e, ev.p FROM users u LEFT JOIN ev USING (uid)` +
				` WHERE u.cfg = ${cfg.id} ORDER BY u.uid, ev.seq) s GROUP BY uid ORDER BY uid`;
			await pg.query('SET max_parallel_workers_per_gather = 0');
			const pgRows = (await pg.query(pgSql)).rows;
			const t2 = Date.now();
			if (pgRows.length !== cfg.users.length)
				throw new Error(`funnel #${cfg.id}: PostgreSQL returned ${pgRows.length} users, expected ${cfg.users.length}`);
			const byUid = new Map(cfg.users.map((u) => [u.uid, u]));
			if (VERBOSE) {
				const best = Math.max(0, ...pgRows.map((r) => Math.max(...modeSets.map((_, i) => r[`f${i}`]))));
				console.log(`funnel #${cfg.id}: ${cfg.nsteps} steps, window ${cfg.window} ${cfg.unit}, ` +
					`${cfg.users.length} users, highest level ${best}${cfg.nullTs ? ', NULL timestamps' : ''}` +
					` (ClickHouse ${t1 - t0} ms, PostgreSQL ${t2 - t1} ms)`);
			}
			for (const row of pgRows) {
				const user = byUid.get(row.uid);
				const chRow = chByUid.get(row.uid);
				for (let i = 0; i < modeSets.length; i++) {
					const click = chRow ? chRow[`f${i}`] : 0;	/* no rows: 0 */
					const mops = row[`f${i}`];
					const stat = perMode.get(modeLabel(modeSets[i]));
					levels.set(click, (levels.get(click) || 0) + 1);
					if (click > longest.level)
						longest = { level: click, nsteps: cfg.nsteps };
					comparisons++;
					stat.users++;
					if (differs(mops, click, user.events)) {
						stat.diffs++;
						await report(`funnel #${cfg.id}`, cfg, modeSets[i], user, mops, click);
					}
				}
				/* mode '' is no mode */
				comparisons++;
				if (row.fempty !== row.f0) {
					perMode.get(modeLabel([])).diffs++;
					await report(`funnel #${cfg.id}: mops with mode '' against mops without a mode`,
						cfg, [], user, row.fempty, row.f0, false);
				}
			}
		}
		const hist = [...levels.keys()].sort((a, b) => (a === null ? -1 : b === null ? 1 : a - b));
		console.log(`levels answered: ${hist.map((l) => `${l === null ? 'NULL' : l}:${levels.get(l)}`).join(' ')}` +
			` (highest ${longest.level} of ${longest.nsteps} steps)`);
		for (const m of modeSets) {
			const s = perMode.get(modeLabel(m));
			console.log(`${s.diffs ? 'FAIL' : 'ok'} mode=${modeLabel(m)} users=${s.users}${s.diffs ? ` differences=${s.diffs}` : ''}`);
		}

		/* 2. the same, computed by parallel workers (partial states combined) */
		await pg.query('SET max_parallel_workers_per_gather = 2');
		await pg.query('SET parallel_setup_cost = 0');
		await pg.query('SET parallel_tuple_cost = 0');
		await pg.query('SET min_parallel_table_scan_size = 0');
		await pg.query('SET enable_indexscan = off');
		await pg.query('SET enable_bitmapscan = off');
		let parallelDiffs = 0;
		let parallelComparisons = 0;
		let partialPlans = 0;
		for (const cfg of data.configs) {
			if (cfg.users.length === 0)
				continue;
			const pgSql = `SELECT uid, ` +
				modeSets.map((m, i) => `${pgFunnel(cfg, m)} AS f${i}`).join(', ') +
				` FROM ev WHERE uid IN (SELECT uid FROM users WHERE cfg = ${cfg.id}) GROUP BY uid`;
			const plan = (await pg.query(`EXPLAIN (COSTS OFF) ${pgSql}`)).rows.map((r) => r['QUERY PLAN']).join('\n');
			if (/Partial/.test(plan))
				partialPlans++;
			const chByUid = answers.get(cfg.id);
			const byUid = new Map(cfg.users.map((u) => [u.uid, u]));
			for (const row of (await pg.query(pgSql)).rows) {
				const user = byUid.get(row.uid);
				const chRow = chByUid.get(row.uid);
				for (let i = 0; i < modeSets.length; i++) {
					const click = chRow ? chRow[`f${i}`] : 0;
					comparisons++;
					parallelComparisons++;
					if (differs(row[`f${i}`], click, user.events)) {
						parallelDiffs++;
						perMode.get(modeLabel(modeSets[i])).diffs++;
						await report(`funnel #${cfg.id} (parallel aggregation)`, cfg, modeSets[i], user, row[`f${i}`], click);
					}
				}
			}
		}
		await pg.query('RESET ALL');
		await pg.query(`SET TimeZone = 'UTC'`);
		console.log(`${parallelDiffs ? 'FAIL' : 'ok'} parallel aggregation: ${parallelComparisons} comparisons, ` +
			`${partialPlans}/${data.configs.filter((c) => c.users.length).length} funnels with partial aggregation` +
			`${parallelDiffs ? `, differences=${parallelDiffs}` : ''}`);

		/* 3. retention */
		{
			const pgSql = `SELECT uid, ` +
				data.retentionLists.map((l, i) => `mops.retention(${l.map((c) => c.sql).join(', ')}) AS r${i}`).join(', ') +
				` FROM (SELECT u.uid, ev.e, ev.p FROM users u LEFT JOIN ev USING (uid)) s GROUP BY uid ORDER BY uid`;
			const chSql = `SELECT uid, ` +
				data.retentionLists.map((l, i) => `retention(${l.map((c) => c.sql).join(', ')}) AS r${i}`).join(', ') +
				` FROM ev GROUP BY uid ORDER BY uid`;
			const chByUid = new Map(chRows(ch, chSql).map((r) => [Number(r.uid), r]));
			const byUid = new Map(data.users.map((u) => [u.uid, u]));
			let retDiffs = 0;
			let retComparisons = 0;
			for (const row of (await pg.query(pgSql)).rows) {
				const chRow = chByUid.get(row.uid);
				for (let i = 0; i < data.retentionLists.length; i++) {
					const mops = row[`r${i}`].map((b) => (b ? 1 : 0));
					const click = chRow ? chRow[`r${i}`] : data.retentionLists[i].map(() => 0);
					comparisons++;
					retComparisons++;
					if (JSON.stringify(mops) !== JSON.stringify(click)) {
						retDiffs++;
						differences++;
						if (shown++ < SHOW) {
							const user = byUid.get(row.uid);
							console.log(`DIFFERENCE retention list ${i} uid=${row.uid}: mops=${JSON.stringify(mops)} clickhouse=${JSON.stringify(click)}`);
							data.retentionLists[i].forEach((c, k) => console.log(`    condition ${k + 1}: ${c.sql}`));
							user.events.forEach((ev) => console.log(`    seq=${ev.seq} e=${ev.e} p=${ev.p}`));
						}
					}
				}
			}
			console.log(`${retDiffs ? 'FAIL' : 'ok'} retention lists=${data.retentionLists.map((l) => l.length).join(',')} ` +
				`users=${USERS} comparisons=${retComparisons}${retDiffs ? ` differences=${retDiffs}` : ''}`);
		}

		/* 4. invalid mode lists: both must reject them */
		{
			const cfg = {
				window: 10, windowSql: `interval '10 seconds'`, unit: 's', nullTs: false, modeSep: ',',
				conds: [{ sql: `e = 'A'` }, { sql: `e = 'B'` }],
			};
			const events = [{ seq: 1, us: 1700000000 * SEC, e: 'A', p: 0 }, { seq: 2, us: 1700000001 * SEC, e: 'B', p: 0 }];
			const lists = invalidModeSets.concat([['bogus'], ['strict'], ['strict_order', 'bogus']]);
			let bad = 0;
			for (const modes of lists) {
				cfg.modeOrder = modes;
				const r = await evalSingle(pg, ch, cfg, modes, events);
				const mopsOk = typeof r.mops === 'string' && r.mops.startsWith('error 22023');
				const chOk = typeof r.click === 'string' && r.click.startsWith('error');
				comparisons++;
				if (!mopsOk || !chOk) {
					bad++;
					differences++;
					console.log(`DIFFERENCE invalid mode ${JSON.stringify(modes)}: mops=${JSON.stringify(r.mops)} clickhouse=${JSON.stringify(r.click)}`);
				}
			}
			console.log(`${bad ? 'FAIL' : 'ok'} invalid mode lists rejected by both: ${lists.length - bad}/${lists.length}`);
		}
	} catch (e) {
		errors++;
		console.log(`ERROR: ${e.stack || e}`);
	} finally {
		ch.cleanup();
		await pg.end();
		if (!KEEP_DB && errors === 0 && differences === 0)
			await admin.query(`DROP DATABASE IF EXISTS ${DBNAME}`);
		await admin.end();
	}

	console.log(`time: ${((Date.now() - started) / 1000).toFixed(1)} s`);
	console.log(`differential: ${modeSets.length} mode combinations, ${comparisons} comparisons, ${differences} differences` +
		(errors ? `, ${errors} errors` : ''));
	if (differences || errors)
		console.log(`reproduce with: MOPS_DIFF_SEED=${SEED} MOPS_DIFF_USERS=${USERS}` +
			`${CONFIGS !== 40 ? ` MOPS_DIFF_CONFIGS=${CONFIGS}` : ''} node test/differential/window_funnel.js`);
	process.exitCode = differences || errors ? 1 : 0;
}

main().catch((e) => {
	console.log(`ERROR: ${e.stack || e}`);
	process.exitCode = 2;
});
