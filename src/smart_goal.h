/*
 * smart_goal.h - the smart_goal face's entry point for _PG_init
 */
#ifndef MOPS_SMART_GOAL_H
#define MOPS_SMART_GOAL_H

/* Define the mops.max_attainable_change setting. */
extern void mops_smart_goal_init(void);

#endif							/* MOPS_SMART_GOAL_H */
