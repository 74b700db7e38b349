// test/bench/clickhouse.js - the window_funnel benchmark, ClickHouse side
//
//   node clickhouse.js DIR RUNS WARMUP [THREADS]
//
// Run by test/bench/run.sh.  Loads DIR/events_A.tsv and DIR/events_B.tsv
// (user_id, e, ts as Unix seconds: the PostgreSQL tables exported in their
// physical order) into Memory tables of an embedded ClickHouse (chdb), then
// times windowFunnel grouped by user and ClickHouse's own floor, count()
// grouped by user, with the same consumption wrapper as the PostgreSQL side
// (SELECT sum(x), count() FROM (...)): WARMUP untimed rounds, RUNS timed
// rounds, the order of the two rotated from round to round.  max_threads = 1
// (mode serial); with THREADS > 1 a second pass (mode parallel) uses that
// many.  Writes
//   DIR/ch_timing.tsv     dataset, mode, variant, run, ms (wall), cpu_ms (the
//                         process's CPU time, all threads; serial mode only),
//                         result
//   DIR/ch_levels_X.tsv   user_id, windowFunnel level (for the cross-check)
//   DIR/ch_version        the ClickHouse version
'use strict';
const fs = require('fs');
const path = require('path');

const [dir, runsArg, warmupArg, threadsArg] = process.argv.slice(2);
const runs = Number(runsArg);
const warmup = Number(warmupArg);
const threads = Number(threadsArg || 1);
if (!dir || !(runs >= 1) || !(warmup >= 0) || !(threads >= 1)) {
	console.error('usage: node clickhouse.js DIR RUNS WARMUP [THREADS]');
	process.exit(2);
}

const chdbPath = process.env.MOPS_CHDB || path.join(__dirname, '..', 'node', 'node_modules', 'chdb');
const { Session } = require(chdbPath);

const session = new Session();
const q = (sql) => session.query(sql, 'TSV');

const variants = [
	['ch_wf', (t) => `SELECT user_id, windowFunnel(3600)(ts, e = 1, e = 2, e = 3, e = 4) AS x FROM ${t} GROUP BY user_id`],
	['ch_count', (t) => `SELECT user_id, count() AS x FROM ${t} GROUP BY user_id`],
];

const out = [];
try {
	fs.writeFileSync(path.join(dir, 'ch_version'), q('SELECT version()').trim() + '\n');
	for (const dataset of ['A', 'B']) {
		const file = path.join(dir, `events_${dataset}.tsv`);
		const t = `events_${dataset.toLowerCase()}`;
		q(`CREATE TABLE ${t} (user_id UInt32, e UInt8, ts DateTime('UTC')) ENGINE = Memory`);
		q(`INSERT INTO ${t} SELECT user_id, e, toDateTime(t, 'UTC')
		   FROM file('${file}', TSV, 'user_id UInt32, e UInt8, t UInt32')`);
		fs.writeFileSync(path.join(dir, `ch_levels_${dataset}.tsv`),
			q(`${variants[0][1](t)} SETTINGS max_threads = 1`));
		const modes = [['serial', 1]];
		if (threads > 1) modes.push(['parallel', threads]);
		for (const [mode, nthreads] of modes) {
			for (let round = 1 - warmup; round <= runs; round++) {
				for (let k = 0; k < variants.length; k++) {
					const [name, inner] = variants[(k + Math.max(round, 1) - 1) % variants.length];
					const sql = `SELECT sum(x) AS s, count() AS n FROM (${inner(t)}) SETTINGS max_threads = ${nthreads}`;
					const c0 = process.cpuUsage();
					const t0 = process.hrtime.bigint();
					const r = q(sql);
					const t1 = process.hrtime.bigint();
					const c = process.cpuUsage(c0);
					const cpu = mode === 'serial' ? (c.user + c.system) / 1e3 : '\\N';
					if (round >= 1)
						out.push([dataset, mode, name, round, Number(t1 - t0) / 1e6, cpu,
							r.trim().split('\t').join('/')].join('\t'));
				}
			}
		}
		q(`DROP TABLE ${t}`);
	}
} finally {
	session.cleanup();
}
fs.writeFileSync(path.join(dir, 'ch_timing.tsv'), out.join('\n') + '\n');
