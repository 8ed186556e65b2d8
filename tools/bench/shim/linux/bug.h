/* SPDX-License-Identifier: GPL-2.0 */
#ifndef BENCH_SHIM_BUG_H
#define BENCH_SHIM_BUG_H
/* The condition is evaluated, as in the kernel; nothing is printed */
#define WARN_ON_ONCE(cond) __builtin_expect(!!(cond), 0)
#endif
