/*
 * mops.h - what every PostgreSQL face of mops shares
 */
#ifndef MOPS_H
#define MOPS_H

#include "postgres.h"

#include "fmgr.h"
#include "nodes/nodes.h"

/*
 * Soft input errors: from PostgreSQL 16 on, type input functions report bad
 * input through fcinfo->context so that pg_input_is_valid() works; before
 * that every error is thrown.  After mops_errsave() the caller must return
 * (it only returns on 16+ with a soft-error context).
 */
#if PG_VERSION_NUM >= 160000
#include "nodes/miscnodes.h"
#define MOPS_ESCONTEXT(fcinfo) ((fcinfo)->context)
#define mops_errsave(escontext, ...) errsave(escontext, __VA_ARGS__)
#else
#define MOPS_ESCONTEXT(fcinfo) ((Node *) NULL)
#define mops_errsave(escontext, ...) ereport(ERROR, __VA_ARGS__)
#endif

/*
 * ARR_DATA_PTR without the signed/unsigned mix of PostgreSQL's macro (which
 * -Wextra reports in our code).
 */
#define MOPS_ARR_DATA_PTR(a) \
	((char *) (a) + (ARR_HASNULL(a) ? (size_t) (a)->dataoffset \
					 : (size_t) ARR_OVERHEAD_NONULLS(ARR_NDIM(a))))

/*
 * The six btree comparison functions, the three-way comparator and the
 * larger/smaller functions (for max/min) of a type, from
 * `int CMP(FunctionCallInfo fcinfo)` comparing arguments 0 and 1 (< 0, 0,
 * > 0).  These are the C functions src/ordering.sql.in declares.
 */
#define MOPS_DEFINE_ORDERING(prefix, CMP) \
	PG_FUNCTION_INFO_V1(prefix##_eq); \
	Datum prefix##_eq(PG_FUNCTION_ARGS) { PG_RETURN_BOOL(CMP(fcinfo) == 0); } \
	PG_FUNCTION_INFO_V1(prefix##_ne); \
	Datum prefix##_ne(PG_FUNCTION_ARGS) { PG_RETURN_BOOL(CMP(fcinfo) != 0); } \
	PG_FUNCTION_INFO_V1(prefix##_lt); \
	Datum prefix##_lt(PG_FUNCTION_ARGS) { PG_RETURN_BOOL(CMP(fcinfo) < 0); } \
	PG_FUNCTION_INFO_V1(prefix##_le); \
	Datum prefix##_le(PG_FUNCTION_ARGS) { PG_RETURN_BOOL(CMP(fcinfo) <= 0); } \
	PG_FUNCTION_INFO_V1(prefix##_gt); \
	Datum prefix##_gt(PG_FUNCTION_ARGS) { PG_RETURN_BOOL(CMP(fcinfo) > 0); } \
	PG_FUNCTION_INFO_V1(prefix##_ge); \
	Datum prefix##_ge(PG_FUNCTION_ARGS) { PG_RETURN_BOOL(CMP(fcinfo) >= 0); } \
	PG_FUNCTION_INFO_V1(prefix##_cmp); \
	Datum prefix##_cmp(PG_FUNCTION_ARGS) { PG_RETURN_INT32(CMP(fcinfo)); } \
	PG_FUNCTION_INFO_V1(prefix##_larger); \
	Datum prefix##_larger(PG_FUNCTION_ARGS) \
	{ \
		PG_RETURN_DATUM(CMP(fcinfo) >= 0 ? PG_GETARG_DATUM(0) : PG_GETARG_DATUM(1)); \
	} \
	PG_FUNCTION_INFO_V1(prefix##_smaller); \
	Datum prefix##_smaller(PG_FUNCTION_ARGS) \
	{ \
		PG_RETURN_DATUM(CMP(fcinfo) <= 0 ? PG_GETARG_DATUM(0) : PG_GETARG_DATUM(1)); \
	} \
	extern int no_semicolon_needed_after_##prefix

/* The same for a type whose values compare like the C integer GETVALUE(n). */
#define MOPS_DEFINE_COMPARISONS(prefix, GETVALUE) \
	static inline int \
	prefix##_compare_args(FunctionCallInfo fcinfo) \
	{ \
		return GETVALUE(0) < GETVALUE(1) ? -1 : GETVALUE(0) > GETVALUE(1) ? 1 : 0; \
	} \
	MOPS_DEFINE_ORDERING(prefix, prefix##_compare_args)

/* A new varlena (bytea or a varlena type of mops) holding a copy of len bytes. */
extern struct varlena *mops_varlena(const void *data, size_t len);

#endif							/* MOPS_H */
