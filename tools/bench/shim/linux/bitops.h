/* SPDX-License-Identifier: GPL-2.0 */
#ifndef BENCH_SHIM_BITOPS_H
#define BENCH_SHIM_BITOPS_H
#define __ffs(x) ((unsigned long)__builtin_ctzl(x))
#endif
