/* SPDX-License-Identifier: GPL-2.0 */
#ifndef BENCH_SHIM_ARRAY_SIZE_H
#define BENCH_SHIM_ARRAY_SIZE_H
#define ARRAY_SIZE(arr) (sizeof(arr) / sizeof((arr)[0]))
#endif
