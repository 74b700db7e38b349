/*
 * lib/common.js - what the differential tests share: integer settings from
 * the environment and the seeded PRNG (so that a seed gives the same data in
 * every test).  In a subdirectory: tools/test.sh runs test/differential/*.js
 * as tests, and this is not one.
 */
'use strict';

/* An integer setting from the environment, or dflt when unset or empty. */
function intEnv(name, dflt) {
	const v = process.env[name];
	if (v === undefined || v === '')
		return dflt;
	if (!/^\d+$/.test(v))
		throw new Error(`${name} must be a non-negative integer, not "${v}"`);
	return Number(v);
}

/*
 * PRNG: mulberry32 seeded from an FNV-1a hash of the seed string.
 */
function makeRng(seedText) {
	let h = 0x811c9dc5;
	for (const ch of String(seedText)) {
		h ^= ch.codePointAt(0);
		h = Math.imul(h, 0x01000193) >>> 0;
	}
	let a = h;
	const next = () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
	return {
		next,
		int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)),	/* inclusive */
		pick: (arr) => arr[Math.floor(next() * arr.length)],
		chance: (p) => next() < p,
		shuffle(arr) {
			for (let i = arr.length - 1; i > 0; i--) {
				const j = Math.floor(next() * (i + 1));
				[arr[i], arr[j]] = [arr[j], arr[i]];
			}
			return arr;
		},
	};
}

module.exports = { intEnv, makeRng };
